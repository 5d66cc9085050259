"""pygumroad 0.0.3's own methods, unchanged, against gumroad-mock: the calls a real Python
integration makes (GET with the token in a form body, POST/DELETE with it in a JSON body,
page_key paging). Prints one JSON object with what each call returned.

Usage: python pygumroad_calls.py http://127.0.0.1:PORT TOKEN
"""
import json
import sys

import pygumroad

base, token = sys.argv[1], sys.argv[2]
client = pygumroad.GumroadClient(secrets_dict={"gumroad": {"host": "api.gumroad.com", "token": token}})
# pygumroad only builds https://<host>; the mock is plain http on 127.0.0.1.
client.BASE_URL = base

out = {}
products = client.retrieve_all_products() or []
out["products"] = [p["id"] for p in products]
with_codes = next((p["id"] for p in products if client.retrieve_offer_codes_for_product(p["id"])), None)
out["product_with_offer_codes"] = with_codes
if products:
    info = client.retrieve_product_info(products[0]["id"])
    out["product_info_id"] = info and info["id"]
if with_codes:
    codes = client.retrieve_offer_codes_for_product(with_codes)
    out["offer_codes"] = [c["name"] for c in codes]
    detail = client.retrieve_offer_code_details_for_product(with_codes, codes[0]["id"])
    out["offer_code_detail"] = detail and detail["name"]
    created = client.create_offer_code_for_product(with_codes, {"name": "PYGUMROAD", "amount_off": 150, "offer_type": "cents"})
    out["created"] = created and {"name": created.get("name"), "amount_cents": created.get("amount_cents")}
    out["deleted"] = client.delete_offer_code(with_codes, "PYGUMROAD")
    out["offer_codes_after"] = client.retrieve_all_offer_code_names_for_a_product(with_codes)
sales = client.retrieve_all_sales()
out["sales"] = [s["id"] for s in sales]
print(json.dumps(out))
