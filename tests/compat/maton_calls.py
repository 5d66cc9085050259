"""Maton gateway calls the way Maton's Gumroad skill writes them: Python's standard urllib, the
Maton key as a Bearer token, `Maton-Connection` to pick an account, connection management under
/connections. Run against gumroad-mock (which serves the gateway under /gumroad/v2 and the
connection API at its root). Prints one JSON object.

Usage: python maton_calls.py http://127.0.0.1:PORT MATON_API_KEY
"""
import json
import sys
import urllib.error
import urllib.request

base, key = sys.argv[1], sys.argv[2]


def call(method, path, body=None, connection=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"{base}{path}", data=data, method=method)
    req.add_header("Authorization", f"Bearer {key}")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if connection:
        req.add_header("Maton-Connection", connection)
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, None


out = {}
status, me = call("GET", "/gumroad/v2/user")
out["user"] = [status, me and me["user"]["name"]]
status, products = call("GET", "/gumroad/v2/products")
out["products"] = [status, products and len(products["products"])]
status, conns = call("GET", "/connections?app=gumroad&status=ACTIVE")
ids = [c["connection_id"] for c in (conns or {}).get("connections", [])]
out["connections"] = [status, len(ids)]
if len(ids) > 1:
    status, other = call("GET", "/gumroad/v2/user", connection=ids[1])
    out["second_account"] = [status, other and other["user"]["name"]]
status, created = call("POST", "/connections", {"app": "gumroad"})
new = (created or {}).get("connection", {})
out["created"] = [status, new.get("status"), bool(new.get("url"))]
if new.get("connection_id"):
    status, _ = call("DELETE", f"/connections/{new['connection_id']}")
    out["deleted"] = status
print(json.dumps(out))
