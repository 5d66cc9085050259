//! Handler-level tests of the back-office routes, through `routes::dispatch` (so the route table
//! is exercised too) and the S3 stand-in.

use ::http::HeaderMap;
use serde_json::{json, Value};

use super::uploads::{self, completed_file_url, resolve_blob};
use super::{dates, s3, util};
use crate::http::{Params, Resp};
use crate::routes::router::dispatch;
use crate::routes::ApiRequest;
use crate::seed::{self, SELLER_A, SELLER_B};
use crate::state::{Caller, State};

fn state() -> State {
    State::new(seed::default_data())
}

fn who(state: &State, token: Option<&str>) -> Result<Option<Caller>, ()> {
    match token {
        None => Ok(None),
        Some(t) => state
            .data
            .tokens
            .iter()
            .find(|x| x.token == t)
            .map(|x| {
                Some(Caller {
                    seller_id: x.seller_id.clone(),
                    scopes: x.scopes.clone(),
                    app_id: x.app_id.clone(),
                })
            })
            .ok_or(()),
    }
}

fn custom(scopes: &[&str]) -> Result<Option<Caller>, ()> {
    Ok(Some(Caller {
        seller_id: SELLER_A.into(),
        scopes: scopes.iter().map(|s| s.to_string()).collect(),
        app_id: "app_demo".into(),
    }))
}

struct Out {
    status: u16,
    body: Value,
    resp: Resp,
}

fn run(
    state: &mut State,
    method: &str,
    path: &str,
    params: Params,
    caller: Result<Option<Caller>, ()>,
) -> Out {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let mut all = Params::default();
    all.insert_form(crate::urlenc::parse_form(query));
    for (k, v) in params.0 {
        all.0.insert(k, v);
    }
    let req = ApiRequest {
        method,
        segments: path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(crate::urlenc::decode_path_segment)
            .collect(),
        params: all,
        caller,
        allow_loopback_webhooks: false,
    };
    let resp = dispatch(state, &req);
    let body = serde_json::from_slice(&resp.body).unwrap_or(Value::Null);
    Out {
        status: resp.status,
        body,
        resp,
    }
}

fn call(
    state: &mut State,
    method: &str,
    path: &str,
    token: Option<&str>,
    form: &[(&str, &str)],
) -> Out {
    let mut p = Params::default();
    p.insert_form(
        form.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    );
    let c = who(state, token);
    run(state, method, path, p, c)
}

fn call_json(state: &mut State, method: &str, path: &str, token: Option<&str>, body: Value) -> Out {
    let mut p = Params::default();
    if let Value::Object(m) = body {
        p.insert_json(m);
    }
    let c = who(state, token);
    run(state, method, path, p, c)
}

const FULL: Option<&str> = Some("demo-token-full");
const ACCOUNT: Option<&str> = Some("demo-token-account");
const PUBLIC: Option<&str> = Some("demo-token-public");
const READONLY: Option<&str> = Some("demo-token-readonly");
const ADA: Option<&str> = Some("demo-token-seller-b");

fn error_400(o: &Out) -> &str {
    assert_eq!(o.status, 400, "{}", o.body);
    assert!(o.body.get("success").is_none(), "{}", o.body);
    assert_eq!(o.body["status"], 400);
    o.body["error"].as_str().unwrap_or_default()
}

fn header<'a>(r: &'a Resp, name: &str) -> Option<&'a str> {
    r.headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// A PUT to a URL the mock handed out, through the S3 stand-in.
fn s3_put(state: &mut State, url: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
    let rest = url.split_once("/__s3/").map(|x| x.1).unwrap_or_default();
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let mut h = HeaderMap::new();
    for (k, v) in headers {
        h.insert(
            ::http::header::HeaderName::from_bytes(k.as_bytes()).unwrap(),
            v.parse().unwrap(),
        );
    }
    s3::handle(state, "PUT", path, query, &h, body)
}

fn s3_get(state: &mut State, url: &str) -> Resp {
    let rest = url.split_once("/__s3/").map(|x| x.1).unwrap_or_default();
    s3::handle(state, "GET", rest, "", &HeaderMap::new(), b"")
}

fn xml_code(r: &Resp) -> String {
    let s = String::from_utf8_lossy(&r.body);
    s.split("<Code>")
        .nth(1)
        .and_then(|x| x.split("</Code>").next())
        .unwrap_or_default()
        .to_string()
}

// ---- files -----------------------------------------------------------------------------------

#[test]
fn presign_needs_edit_products_and_validates_like_gumroad() {
    let mut s = state();
    let args = [("filename", "course.pdf"), ("file_size", "10")];
    assert_eq!(
        call(&mut s, "POST", "/files/presign", None, &args).status,
        401
    );
    let o = call(&mut s, "POST", "/files/presign", PUBLIC, &args);
    assert_eq!((o.status, o.resp.body.len()), (403, 0));
    assert_eq!(
        call(&mut s, "POST", "/files/presign", ACCOUNT, &args).status,
        200
    );
    let cases: [(&[(&str, &str)], &str); 5] = [
        (&[("file_size", "10")], "filename is required"),
        (
            &[("filename", "   "), ("file_size", "10")],
            "filename is required",
        ),
        (
            &[("filename", "a.pdf"), ("file_size", "abc")],
            "file_size is required",
        ),
        (
            &[("filename", "a.pdf"), ("file_size", "-4")],
            "file_size is required",
        ),
        (
            &[("filename", "a.pdf"), ("file_size", "21474836481")],
            "file_size exceeds the 20 GB maximum",
        ),
    ];
    for (form, msg) in cases {
        let o = call(&mut s, "POST", "/files/presign", FULL, form);
        assert_eq!(error_400(&o), msg, "{form:?}");
    }
}

#[test]
fn presign_splits_into_100_mib_parts_by_default() {
    let mut s = state();
    let size = (250u64 << 20).to_string();
    let o = call(
        &mut s,
        "POST",
        "/files/presign",
        FULL,
        &[("filename", "my course.zip"), ("file_size", &size)],
    );
    assert_eq!(o.status, 200, "{}", o.body);
    assert_eq!(o.body["success"], true);
    let parts = o.body["parts"].as_array().unwrap();
    assert_eq!(parts.len(), 3);
    assert_eq!(parts[0]["part_number"], 1);
    let key = o.body["key"].as_str().unwrap();
    assert!(
        key.starts_with(&format!("attachments/{SELLER_A}/")),
        "{key}"
    );
    assert!(key.ends_with("/original/my course.zip"), "{key}");
    let guid = key.split('/').nth(2).unwrap();
    assert_eq!(guid.len(), 32);
    let url = parts[2]["presigned_url"].as_str().unwrap();
    assert!(
        url.starts_with("http://127.0.0.1:4010/__s3/gumroad-mock/attachments/"),
        "{url}"
    );
    assert!(
        url.contains("partNumber=3") && url.contains("uploadId="),
        "{url}"
    );
    assert!(o.body["file_url"]
        .as_str()
        .unwrap()
        .ends_with("my%20course.zip"));
}

/// Presign with a tiny part size, PUT every part, complete: the whole flow through handlers.
fn upload(s: &mut State, data: &[u8]) -> (Value, Vec<String>) {
    s.settings.upload_part_size = 4;
    let size = data.len().to_string();
    let o = call(
        s,
        "POST",
        "/files/presign",
        FULL,
        &[("filename", "notes.txt"), ("file_size", &size)],
    );
    assert_eq!(o.status, 200, "{}", o.body);
    let mut etags = vec![];
    for (part, chunk) in o.body["parts"]
        .as_array()
        .unwrap()
        .iter()
        .zip(data.chunks(4))
    {
        let r = s3_put(s, part["presigned_url"].as_str().unwrap(), &[], chunk);
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        assert_eq!(header(&r, "Access-Control-Expose-Headers"), Some("ETag"));
        let etag = header(&r, "ETag").unwrap().to_string();
        assert_eq!(etag, format!("\"{}\"", util::md5_hex(chunk)));
        etags.push(etag);
    }
    (o.body, etags)
}

fn parts_json(etags: &[String]) -> Value {
    Value::Array(
        etags
            .iter()
            .enumerate()
            .map(|(i, e)| json!({"part_number": i + 1, "etag": e}))
            .collect(),
    )
}

#[test]
fn multipart_upload_through_the_handlers() {
    let mut s = state();
    let data = b"hello, multipart world";
    let (presign, etags) = upload(&mut s, data);
    assert_eq!(etags.len(), 6);
    let body = json!({"upload_id": presign["upload_id"], "key": presign["key"], "parts": parts_json(&etags)});
    let o = call_json(&mut s, "POST", "/files/complete", FULL, body.clone());
    assert_eq!(o.status, 200, "{}", o.body);
    let file_url = o.body["file_url"].as_str().unwrap().to_string();
    assert_eq!(o.body, json!({"success": true, "file_url": file_url}));
    assert_eq!(file_url, presign["file_url"].as_str().unwrap());
    assert!(completed_file_url(&s, SELLER_A, &file_url));
    assert!(completed_file_url(
        &s,
        SELLER_A,
        &file_url.replace("127.0.0.1", "localhost")
    ));
    assert!(!completed_file_url(&s, SELLER_B, &file_url));
    assert!(!completed_file_url(
        &s,
        SELLER_A,
        "http://127.0.0.1:4010/__s3/gumroad-mock/nope"
    ));
    let r = s3_get(&mut s, &file_url);
    assert_eq!((r.status, r.body.as_slice()), (200, &data[..]));
    // A completed upload is gone for S3.
    let again = call_json(&mut s, "POST", "/files/complete", FULL, body);
    assert_eq!(error_400(&again), "The specified upload does not exist.");
}

#[test]
fn complete_checks_parameters_and_parts() {
    let mut s = state();
    let (p, etags) = upload(&mut s, b"0123456789");
    let (id, key) = (p["upload_id"].clone(), p["key"].clone());
    let cases = [
        (
            json!({"key": key, "parts": parts_json(&etags)}),
            "upload_id is required",
        ),
        (
            json!({"upload_id": id, "parts": parts_json(&etags)}),
            "key is required",
        ),
        (json!({"upload_id": id, "key": key}), "parts is required"),
        (
            json!({"upload_id": id, "key": key, "parts": []}),
            "parts is required",
        ),
        (
            json!({"upload_id": id, "key": "attachments/someone-else/x/original/a", "parts": parts_json(&etags)}),
            "invalid key",
        ),
        (
            json!({"upload_id": "2~nope", "key": key, "parts": parts_json(&etags)}),
            "The specified upload does not exist.",
        ),
        (
            json!({"upload_id": id, "key": key, "parts": [{"part_number": 2, "etag": etags[1]}, {"part_number": 1, "etag": etags[0]}]}),
            uploads::INVALID_PART_ORDER,
        ),
        (
            json!({"upload_id": id, "key": key, "parts": [{"part_number": 1, "etag": etags[0]}, {"part_number": 2, "etag": etags[1]}]}),
            uploads::INVALID_PART,
        ),
        (
            json!({"upload_id": id, "key": key, "parts": [{"part_number": 1, "etag": "\"00\""}, {"part_number": 2, "etag": etags[1]}, {"part_number": 3, "etag": etags[2]}]}),
            uploads::INVALID_PART,
        ),
    ];
    for (body, msg) in cases {
        let o = call_json(&mut s, "POST", "/files/complete", FULL, body.clone());
        assert_eq!(error_400(&o), msg, "{body}");
    }
    // Indexed form keys do not make a list.
    let form = [
        ("upload_id", id.as_str().unwrap()),
        ("key", key.as_str().unwrap()),
        ("parts[0][part_number]", "1"),
        ("parts[0][etag]", etags[0].as_str()),
    ];
    assert_eq!(
        error_400(&call(&mut s, "POST", "/files/complete", FULL, &form)),
        "parts is required"
    );
    // Unquoted ETags are accepted, as by S3.
    let unquoted: Vec<String> = etags
        .iter()
        .map(|e| e.trim_matches('"').to_string())
        .collect();
    let ok = call_json(
        &mut s,
        "POST",
        "/files/complete",
        FULL,
        json!({"upload_id": id, "key": key, "parts": parts_json(&unquoted)}),
    );
    assert_eq!(ok.status, 200, "{}", ok.body);
}

#[test]
fn parts_smaller_than_s3_allows_are_refused() {
    let mut s = state();
    s.settings.upload_part_size = 4;
    let o = call(
        &mut s,
        "POST",
        "/files/presign",
        FULL,
        &[("filename", "a.bin"), ("file_size", "8")],
    );
    let parts = o.body["parts"].as_array().unwrap().clone();
    let e1 = header(
        &s3_put(
            &mut s,
            parts[0]["presigned_url"].as_str().unwrap(),
            &[],
            b"ab",
        ),
        "ETag",
    )
    .unwrap()
    .to_string();
    let e2 = header(
        &s3_put(
            &mut s,
            parts[1]["presigned_url"].as_str().unwrap(),
            &[],
            b"cdef",
        ),
        "ETag",
    )
    .unwrap()
    .to_string();
    let body = json!({"upload_id": o.body["upload_id"], "key": o.body["key"], "parts": parts_json(&[e1, e2])});
    assert_eq!(
        error_400(&call_json(&mut s, "POST", "/files/complete", FULL, body)),
        uploads::ENTITY_TOO_SMALL
    );
}

#[test]
fn abort_is_accepted_once_then_already_gone() {
    let mut s = state();
    s.settings.upload_part_size = 4;
    let o = call(
        &mut s,
        "POST",
        "/files/presign",
        FULL,
        &[("filename", "a.bin"), ("file_size", "8")],
    );
    let url = o.body["parts"][0]["presigned_url"]
        .as_str()
        .unwrap()
        .to_string();
    let args = json!({"upload_id": o.body["upload_id"], "key": o.body["key"]});
    let first = call_json(&mut s, "POST", "/files/abort", FULL, args.clone());
    assert_eq!(first.body, json!({"success": true, "status": "accepted"}));
    let second = call_json(&mut s, "POST", "/files/abort", FULL, args);
    assert_eq!(
        second.body,
        json!({"success": true, "status": "already_gone"})
    );
    let statuses: Vec<&str> = s
        .data
        .office
        .file_aborts
        .iter()
        .map(|a| a.status.as_str())
        .collect();
    assert_eq!(statuses, ["accepted", "already_gone"]);
    let r = s3_put(&mut s, &url, &[], b"abcd");
    assert_eq!((r.status, xml_code(&r).as_str()), (404, "NoSuchUpload"));
    let bad = call_json(
        &mut s,
        "POST",
        "/files/abort",
        FULL,
        json!({"upload_id": "x", "key": "attachments/zzz/a"}),
    );
    assert_eq!(error_400(&bad), "invalid key");
    assert_eq!(
        error_400(&call_json(
            &mut s,
            "POST",
            "/files/abort",
            FULL,
            json!({"key": "k"})
        )),
        "upload_id is required"
    );
}

#[test]
fn the_s3_stand_in_checks_signatures_expiry_and_digests() {
    let mut s = state();
    s.settings.upload_part_size = 4;
    let o = call(
        &mut s,
        "POST",
        "/files/presign",
        FULL,
        &[("filename", "a.bin"), ("file_size", "4")],
    );
    let url = o.body["parts"][0]["presigned_url"]
        .as_str()
        .unwrap()
        .to_string();
    let tampered = url.replace("partNumber=1", "partNumber=2");
    assert_eq!(
        xml_code(&s3_put(&mut s, &tampered, &[], b"abcd")),
        "SignatureDoesNotMatch"
    );
    let wrong_md5 = util::md5_base64(b"zzzz");
    let r = s3_put(&mut s, &url, &[("content-md5", &wrong_md5)], b"abcd");
    assert_eq!((r.status, xml_code(&r).as_str()), (400, "BadDigest"));
    let r = s3_put(&mut s, &url, &[("content-md5", "not base64!")], b"abcd");
    assert_eq!(xml_code(&r), "InvalidDigest");
    let good_md5 = util::md5_base64(b"abcd");
    assert_eq!(
        s3_put(&mut s, &url, &[("content-md5", &good_md5)], b"abcd").status,
        200
    );
    s.data.office.uploads[0].urls_expire_at = 0;
    let r = s3_put(&mut s, &url, &[], b"abcd");
    assert_eq!((r.status, xml_code(&r).as_str()), (403, "AccessDenied"));
    assert!(String::from_utf8_lossy(&r.body).contains("Request has expired"));
    let r = s3_get(&mut s, "http://h/__s3/gumroad-mock/missing");
    assert_eq!((r.status, xml_code(&r).as_str()), (404, "NoSuchKey"));
    // Body limits follow the configured part size.
    let q = url.split_once('?').unwrap().1;
    assert_eq!(s3::body_limit(&s, "gumroad-mock/x", q), 4 + 64 * 1024);
}

// ---- direct uploads -------------------------------------------------------------------------

fn reserve(
    s: &mut State,
    token: Option<&str>,
    data: &[u8],
    ct: &str,
    purpose: Option<&str>,
) -> Out {
    let checksum = util::md5_base64(data);
    let size = data.len().to_string();
    let mut form = vec![
        ("blob[filename]", "pic.png"),
        ("blob[byte_size]", size.as_str()),
        ("blob[checksum]", checksum.as_str()),
        ("blob[content_type]", ct),
    ];
    if let Some(p) = purpose {
        form.push(("purpose", p));
    }
    call(s, "POST", "/direct_uploads", token, &form)
}

#[test]
fn direct_upload_reservation_shape_and_scopes() {
    let mut s = state();
    let png = super::media::sample_bytes("png");
    let o = reserve(&mut s, FULL, &png, "image/png", None);
    assert_eq!(o.status, 200, "{}", o.body);
    assert!(o.body.get("success").is_none());
    for k in [
        "id",
        "key",
        "filename",
        "content_type",
        "metadata",
        "service_name",
        "byte_size",
        "checksum",
        "created_at",
        "signed_id",
        "direct_upload",
    ] {
        assert!(o.body.get(k).is_some(), "{k}");
    }
    assert_eq!(o.body["metadata"]["uploaded_by_user_id"], 8452069472361u64);
    assert_eq!(
        o.body["direct_upload"]["headers"]["Content-Type"],
        "image/png"
    );
    assert_eq!(
        o.body["direct_upload"]["headers"]["Content-MD5"],
        util::md5_base64(&png)
    );
    assert!(o.body["direct_upload"]["url"]
        .as_str()
        .unwrap()
        .contains("/__s3/gumroad-mock/"));
    assert_eq!(o.body["key"].as_str().unwrap().len(), 28);
    // edit_products (account passes) without purpose; edit_profile strict with purpose=media.
    assert_eq!(
        reserve(&mut s, ACCOUNT, &png, "image/png", None).status,
        200
    );
    let o = reserve(&mut s, ACCOUNT, &png, "image/png", Some("media"));
    assert_eq!(o.status, 403);
    assert_eq!(
        o.body,
        json!({"success": false, "message": "This endpoint requires the edit_profile scope."})
    );
    let o = reserve(&mut s, PUBLIC, &png, "image/png", Some("media"));
    assert_eq!((o.status, o.resp.body.len()), (403, 0));
    assert_eq!(reserve(&mut s, None, &png, "image/png", None).status, 401);
    // JSON bodies work too.
    let o = call_json(
        &mut s,
        "POST",
        "/direct_uploads",
        FULL,
        json!({"purpose": "media", "blob": {"filename": "a.webp", "byte_size": 10, "checksum": "x", "content_type": "image/webp"}}),
    );
    assert_eq!(o.status, 200, "{}", o.body);
}

#[test]
fn direct_upload_validation_messages() {
    let mut s = state();
    let cases: Vec<(Value, &str)> = vec![
        (json!({}), "param is missing or the value is empty: blob"),
        (
            json!({"blob": {}}),
            "param is missing or the value is empty: blob",
        ),
        (
            json!({"blob": {"byte_size": 1, "checksum": "x", "content_type": "image/png"}}),
            "filename is required",
        ),
        (
            json!({"blob": {"filename": "a", "checksum": "x", "content_type": "image/png"}}),
            "byte_size is required",
        ),
        (
            json!({"blob": {"filename": "a", "byte_size": 1, "content_type": "image/png"}}),
            "checksum is required",
        ),
        (
            json!({"blob": {"filename": "a", "byte_size": 0, "checksum": "x", "content_type": "image/png"}}),
            "byte_size is required",
        ),
        (
            json!({"blob": {"filename": "a", "byte_size": 21474836481u64, "checksum": "x", "content_type": "video/mp4"}}),
            "byte_size exceeds the 20 GB maximum",
        ),
        (
            json!({"purpose": "media", "blob": {"filename": "a", "byte_size": 10485761, "checksum": "x", "content_type": "image/png"}}),
            "byte_size exceeds the 10 MB maximum for media uploads",
        ),
        (
            json!({"blob": {"filename": "a", "byte_size": 1, "checksum": "x", "content_type": "image/webp"}}),
            "content_type must be JPEG, PNG, GIF, or video.",
        ),
        (
            json!({"blob": {"filename": "a", "byte_size": 1, "checksum": "x"}}),
            "content_type must be JPEG, PNG, GIF, or video.",
        ),
        (
            json!({"purpose": "media", "blob": {"filename": "a", "byte_size": 1, "checksum": "x", "content_type": "image/svg+xml"}}),
            "content_type must be an image type.",
        ),
        (
            json!({"purpose": "media", "blob": {"filename": "a", "byte_size": 1, "checksum": "x", "content_type": "audio/mpeg"}}),
            "content_type must be an image type.",
        ),
        (
            json!({"blob": {"filename": "a", "byte_size": 1, "checksum": "", "content_type": "image/png"}}),
            "Checksum can't be blank",
        ),
    ];
    for (body, msg) in cases {
        let o = call_json(&mut s, "POST", "/direct_uploads", FULL, body.clone());
        assert_eq!(error_400(&o), msg, "{body}");
    }
}

#[test]
fn direct_upload_put_checks_md5_and_size_then_resolves() {
    let mut s = state();
    let png = super::media::sample_bytes("png");
    let o = reserve(&mut s, FULL, &png, "image/png", None);
    let url = o.body["direct_upload"]["url"].as_str().unwrap().to_string();
    let signed = o.body["signed_id"].as_str().unwrap().to_string();
    let md5 = util::md5_base64(&png);
    assert!(
        resolve_blob(&s, SELLER_A, &signed).is_none(),
        "not uploaded yet"
    );
    let put = |s: &mut State, md5: &str, ct: &str, body: &[u8]| {
        let r = s3_put(s, &url, &[("content-md5", md5), ("content-type", ct)], body);
        (r.status, xml_code(&r))
    };
    assert_eq!(
        put(&mut s, &md5, "image/png", &png[1..]),
        (403, "SignatureDoesNotMatch".into())
    );
    assert_eq!(
        put(&mut s, &util::md5_base64(b"x"), "image/png", &png),
        (403, "SignatureDoesNotMatch".into())
    );
    assert_eq!(
        put(&mut s, &md5, "image/gif", &png),
        (403, "SignatureDoesNotMatch".into())
    );
    let mut other = png.clone();
    other[20] ^= 1;
    assert_eq!(
        put(&mut s, &md5, "image/png", &other),
        (400, "BadDigest".into())
    );
    assert_eq!(put(&mut s, &md5, "image/png", &png).0, 200);
    let info = resolve_blob(&s, SELLER_A, &signed).expect("uploaded blob");
    assert_eq!(
        (
            info.filename.as_str(),
            info.content_type.as_str(),
            info.byte_size
        ),
        ("pic.png", "image/png", png.len() as u64)
    );
    let got = s3_get(&mut s, &info.url);
    assert_eq!(got.body, png);
    assert!(resolve_blob(&s, SELLER_B, &signed).is_none());
    assert!(resolve_blob(&s, SELLER_A, "forged").is_none());
}

// ---- media ----------------------------------------------------------------------------------

#[test]
fn media_list_is_strict_and_newest_first() {
    let mut s = state();
    let o = call(&mut s, "GET", "/media", FULL, &[]);
    assert_eq!(o.status, 200);
    let ids: Vec<&str> = o.body["media"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            crate::model_office::MEDIA_LOGO,
            crate::model_office::MEDIA_BANNER
        ]
    );
    let m = &o.body["media"][0];
    assert_eq!(m["status"], json!({"type": "saved"}));
    assert_eq!(
        (m["extension"].as_str(), m["file_group"].as_str()),
        (Some("JPG"), Some("image"))
    );
    let o = call(&mut s, "GET", "/media", ACCOUNT, &[]);
    assert_eq!(
        o.body,
        json!({"success": false, "message": "This endpoint requires the view_profile scope."})
    );
    assert_eq!(o.status, 403);
    let o = call(&mut s, "GET", "/media", PUBLIC, &[]);
    assert_eq!((o.status, o.resp.body.len()), (403, 0));
    assert_eq!(call(&mut s, "GET", "/media", None, &[]).status, 401);
    assert_eq!(
        call(&mut s, "GET", "/media", ADA, &[]).body["media"],
        json!([])
    );
}

#[test]
fn media_from_urls_follow_the_synthetic_web() {
    let mut s = state();
    let o = call(
        &mut s,
        "POST",
        "/media",
        FULL,
        &[
            ("url", "https://cdn.example.com/img/logo.png"),
            ("name", "Logo"),
        ],
    );
    assert_eq!(o.status, 200, "{}", o.body);
    let m = &o.body["media"];
    assert_eq!(
        (m["name"].as_str(), m["extension"].as_str()),
        (Some("Logo"), Some("PNG"))
    );
    let url = m["url"].as_str().unwrap().to_string();
    assert_eq!(s3_get(&mut s, &url).status, 200);
    let o = call(
        &mut s,
        "POST",
        "/media",
        FULL,
        &[("url", "//cdn.example.com/photo")],
    );
    assert_eq!(
        o.body["success"], false,
        "an extension-less URL answers HTML"
    );
    let cases = [
        ("", "Please provide a url or signed_blob_id."),
        (
            "https://cdn.example.com/logo.svg",
            "Only image files can be uploaded.",
        ),
        (
            "https://cdn.example.com/doc.pdf",
            "Only image files can be uploaded.",
        ),
        (
            "http://localhost/a.png",
            "Please provide a valid public URL.",
        ),
        (
            "http://192.168.1.2/a.png",
            "Please provide a valid public URL.",
        ),
        (
            "ftp://cdn.example.com/a.png",
            "Please provide a valid public URL.",
        ),
        (
            "https://nowhere.invalid/a.png",
            "Please provide a valid public URL.",
        ),
        (
            "https://cdn.example.com/missing/a.png",
            "We couldn't download that file, please check the URL and try again.",
        ),
        (
            "https://cdn.example.com/too-large.png",
            "That file is too large. Images can be up to 10 MB.",
        ),
    ];
    for (url, msg) in cases {
        let o = call(&mut s, "POST", "/media", FULL, &[("url", url)]);
        assert_eq!(
            (
                o.status,
                o.body["success"].clone(),
                o.body["message"].as_str()
            ),
            (200, json!(false), Some(msg)),
            "{url}"
        );
    }
    assert_eq!(
        call(
            &mut s,
            "POST",
            "/media",
            ACCOUNT,
            &[("url", "https://x.com/a.png")]
        )
        .status,
        403
    );
}

#[test]
fn media_from_a_signed_blob_and_delete() {
    let mut s = state();
    let gif = super::media::sample_bytes("gif");
    let o = reserve(&mut s, FULL, &gif, "image/gif", Some("media"));
    let signed = o.body["signed_id"].as_str().unwrap().to_string();
    let url = o.body["direct_upload"]["url"].as_str().unwrap().to_string();
    let not_yet = call(
        &mut s,
        "POST",
        "/media",
        FULL,
        &[("signed_blob_id", &signed)],
    );
    assert_eq!(
        not_yet.body["message"],
        "We couldn't download that file, please check the URL and try again."
    );
    let md5 = util::md5_base64(&gif);
    assert_eq!(
        s3_put(
            &mut s,
            &url,
            &[("content-md5", &md5), ("content-type", "image/gif")],
            &gif
        )
        .status,
        200
    );
    let other = call(
        &mut s,
        "POST",
        "/media",
        ADA,
        &[("signed_blob_id", &signed)],
    );
    assert_eq!(
        other.body["message"],
        "The signed_blob_id is invalid or expired."
    );
    let o = call(
        &mut s,
        "POST",
        "/media",
        FULL,
        &[
            ("signed_blob_id", &signed),
            ("url", "https://x.com/ignored.svg"),
        ],
    );
    assert_eq!(o.status, 200, "{}", o.body);
    assert_eq!(
        (
            o.body["media"]["name"].as_str(),
            o.body["media"]["extension"].as_str()
        ),
        (Some("pic"), Some("PNG"))
    );
    let id = o.body["media"]["id"].as_str().unwrap().to_string();
    let reused = call(
        &mut s,
        "POST",
        "/media",
        FULL,
        &[("signed_blob_id", &signed)],
    );
    assert_eq!(
        reused.body["message"],
        "The signed_blob_id is invalid or expired."
    );
    assert!(
        resolve_blob(&s, SELLER_A, &signed).is_none(),
        "attached blobs are used up"
    );
    let del = call(&mut s, "DELETE", &format!("/media/{id}"), FULL, &[]);
    assert_eq!(
        del.body,
        json!({"success": true, "message": "The file was deleted."})
    );
    let gone = call(&mut s, "DELETE", &format!("/media/{id}"), FULL, &[]);
    assert_eq!(
        (gone.status, gone.body),
        (
            200,
            json!({"success": false, "message": "The media was not found."})
        )
    );
    let strict = call(&mut s, "DELETE", "/media/x", ACCOUNT, &[]);
    assert_eq!(
        strict.body["message"],
        "This endpoint requires the edit_profile scope."
    );
}

#[test]
fn media_limits_and_inactive_accounts() {
    let mut s = state();
    s.data.office.accounts[0].account_active = false;
    let o = call(
        &mut s,
        "POST",
        "/media",
        FULL,
        &[("url", "https://x.com/a.png")],
    );
    assert_eq!(
        (o.status, o.body),
        (
            403,
            json!({"success": false, "message": "Your account is not active."})
        )
    );
    // Deleting stays allowed.
    let del = call(
        &mut s,
        "DELETE",
        &format!("/media/{}", crate::model_office::MEDIA_LOGO),
        FULL,
        &[],
    );
    assert_eq!(del.body["success"], true);
    s.data.office.accounts[0].account_active = true;
    let template = s.data.office.media[0].clone();
    for i in 0..500 {
        let mut m = template.clone();
        m.id = format!("bulk{i}");
        s.data.office.media.push(m);
    }
    let o = call(
        &mut s,
        "POST",
        "/media",
        FULL,
        &[("url", "https://x.com/a.png")],
    );
    assert_eq!(
        o.body["message"],
        "You've reached the limit of 500 uploaded files. Delete some before uploading more."
    );
}

// ---- sales reports --------------------------------------------------------------------------

#[test]
fn sales_summary_totals_and_breakdowns() {
    let mut s = state();
    let o = call(
        &mut s,
        "GET",
        "/sales/summary",
        READONLY,
        &[
            ("from", "2021-01-01"),
            ("to", "2021-03-31"),
            ("group_by", "month"),
        ],
    );
    assert_eq!(o.status, 200, "{}", o.body);
    assert_eq!(
        o.body,
        json!({
            "success": true, "gross_cents": 2000, "net_cents": 1500, "units": 3, "refunded_cents": 500,
            "refunded_units": 1, "currency": "usd", "from": "2021-01-01", "to": "2021-03-31",
            "breakdown": [
                {"key": "2021-01", "label": "2021-01", "gross_cents": 500, "net_cents": 500, "units": 1, "refunded_cents": 0, "refunded_units": 0},
                {"key": "2021-02", "label": "2021-02", "gross_cents": 1000, "net_cents": 1000, "units": 1, "refunded_cents": 0, "refunded_units": 0},
                {"key": "2021-03", "label": "2021-03", "gross_cents": 500, "net_cents": 0, "units": 1, "refunded_cents": 500, "refunded_units": 1},
            ]
        })
    );
    let weeks = call(
        &mut s,
        "GET",
        "/sales/summary",
        FULL,
        &[
            ("from", "2021-01-01"),
            ("to", "2021-03-31"),
            ("group_by", "week"),
        ],
    );
    let keys: Vec<&str> = weeks.body["breakdown"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["2021-01-04", "2021-02-08", "2021-03-01"], "Mondays");
    let products = call(
        &mut s,
        "GET",
        "/sales/summary",
        FULL,
        &[
            ("from", "2021-01-01"),
            ("to", "2021-03-31"),
            ("group_by", "product"),
        ],
    );
    let b = &products.body["breakdown"];
    assert_eq!(
        (b[0]["key"].as_str(), b[0]["label"].as_str()),
        (Some(seed::P2_CLUB), Some("Pencil Club"))
    );
    assert_eq!(b[1]["gross_cents"], 1000);
    let hours = call(
        &mut s,
        "GET",
        "/sales/summary",
        FULL,
        &[
            ("from", "2021-01-05"),
            ("to", "2021-01-12"),
            ("group_by", "hour"),
        ],
    );
    assert_eq!(hours.body["breakdown"][0]["key"], "2021-01-05T19:00");
    // Defaults: the last 30 days up to today; no breakdown without group_by.
    let d = call(&mut s, "GET", "/sales/summary", FULL, &[]);
    let today = dates::format_date(dates::today());
    assert_eq!(
        (d.body["to"].as_str(), d.body.get("breakdown")),
        (Some(today.as_str()), None)
    );
    assert_eq!(d.body["from"], dates::format_date(dates::today() - 29));
    let only_to = call(
        &mut s,
        "GET",
        "/sales/summary",
        FULL,
        &[("to", "2021-03-31")],
    );
    assert_eq!(only_to.body["from"], "2021-03-02");
    // Ada sees only her own sales.
    let ada = call(
        &mut s,
        "GET",
        "/sales/summary",
        ADA,
        &[("from", "2021-01-01"), ("to", "2021-03-31")],
    );
    assert_eq!(ada.body["gross_cents"], 0);
}

#[test]
fn sales_summary_errors_in_gumroads_order() {
    let mut s = state();
    let cases: [(&[(&str, &str)], &str); 6] = [
        (
            &[("group_by", "email"), ("from", "bad")],
            "Invalid group_by. Valid values are: product, day, week, month, hour.",
        ),
        (
            &[("from", "394293")],
            "Invalid date format provided in field 'from'. Dates must be in the format YYYY-MM-DD.",
        ),
        (
            &[("to", "2026-02-30")],
            "Invalid date format provided in field 'to'. Dates must be in the format YYYY-MM-DD.",
        ),
        (
            &[("from", "2026-05-22"), ("to", "2026-05-21")],
            "'from' must be on or before 'to'.",
        ),
        (
            &[
                ("from", "2026-05-13"),
                ("to", "2026-05-21"),
                ("group_by", "hour"),
            ],
            "Date range cannot exceed 7 days when grouping by hour.",
        ),
        (
            &[("group_by", "hour")],
            "Date range cannot exceed 7 days when grouping by hour.",
        ),
    ];
    for (form, msg) in cases {
        assert_eq!(
            error_400(&call(&mut s, "GET", "/sales/summary", FULL, form)),
            msg,
            "{form:?}"
        );
    }
    let edge = call(
        &mut s,
        "GET",
        "/sales/summary",
        FULL,
        &[
            ("from", "2026-05-14"),
            ("to", "2026-05-21"),
            ("group_by", "hour"),
        ],
    );
    assert_eq!(edge.status, 200);
    assert_eq!(
        call(&mut s, "GET", "/sales/summary", PUBLIC, &[]).status,
        403
    );
    assert_eq!(
        call(&mut s, "GET", "/sales/summary", ACCOUNT, &[]).status,
        200
    );
}

#[test]
fn sales_exports_are_queued_and_validated() {
    let mut s = state();
    let o = call(
        &mut s,
        "POST",
        "/sales/exports",
        FULL,
        &[
            ("from", "2026-01-01"),
            ("to", "2026-05-21"),
            ("product_id", seed::P3_SKETCH),
        ],
    );
    assert_eq!(
        o.body,
        json!({"success": true, "status": "queued", "recipient_email": "john@example.com"})
    );
    let e = &s.data.office.sales_exports[0];
    assert_eq!(
        (e.from.as_deref(), e.product_ids.len()),
        (Some("2026-01-01"), 1)
    );
    let cases: [(&[(&str, &str)], &str); 4] = [
        (
            &[("from", "394293"), ("to", "invalid-date")],
            "Invalid date format provided in field 'from'. Dates must be in the format YYYY-MM-DD.",
        ),
        (
            &[("to", "invalid-date")],
            "Invalid date format provided in field 'to'. Dates must be in the format YYYY-MM-DD.",
        ),
        (&[("product_id", "invalid base64")], "Invalid product ID."),
        (&[("product_id", seed::P6_NOTEBOOK)], "Invalid product ID."),
    ];
    for (form, msg) in cases {
        assert_eq!(
            error_400(&call(&mut s, "POST", "/sales/exports", FULL, form)),
            msg
        );
    }
    assert_eq!(
        call(&mut s, "POST", "/sales/exports", PUBLIC, &[]).status,
        403
    );
    assert_eq!(
        call(&mut s, "POST", "/sales/exports", None, &[]).status,
        401
    );
}

#[test]
fn sales_list_filters_by_name_and_license_key() {
    let mut s = state();
    let o = call(&mut s, "GET", "/sales", FULL, &[("name", " CALVIN ")]);
    let ids: Vec<&str> = o.body["sales"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["FO8TXN-dvxYabdavG97Y-Q=="]);
    let key = seed::key("active").to_lowercase();
    let o = call(&mut s, "GET", "/sales", FULL, &[("license_key", &key)]);
    let sales = o.body["sales"].as_array().unwrap();
    assert_eq!(sales.len(), 1);
    let bp = &sales[0]["buyer_presentment"];
    assert_eq!(
        (
            bp["currency"].as_str(),
            bp["fx_rate"].as_str(),
            bp["total_cents"].as_u64()
        ),
        (Some("eur"), Some("0.924"), Some(3216))
    );
    assert_eq!(sales[0]["currency"], "usd");
    assert_eq!(sales[0]["license_uses"], 0);
    assert_eq!(
        call(&mut s, "GET", "/sales", FULL, &[("license_key", "nope")]).body["sales"],
        json!([])
    );
    let both = call(
        &mut s,
        "GET",
        "/sales",
        FULL,
        &[("after", "bad"), ("before", "also-bad")],
    );
    assert_eq!(
        error_400(&both),
        "Invalid date format provided in field 'before'. Dates must be in the format YYYY-MM-DD."
    );
    let empty = call(&mut s, "GET", "/sales", FULL, &[("before", "")]);
    assert_eq!(empty.status, 400);
    assert_eq!(
        error_400(&call(
            &mut s,
            "GET",
            "/sales",
            FULL,
            &[("order_id", "0524459995")]
        )),
        "Invalid order ID."
    );
}

// ---- payouts --------------------------------------------------------------------------------

#[test]
fn payouts_page_with_the_upcoming_entry_first() {
    let mut s = state();
    let p1 = call(&mut s, "GET", "/payouts", FULL, &[]);
    assert_eq!(p1.status, 200, "{}", p1.body);
    let items = p1.body["payouts"].as_array().unwrap();
    assert_eq!(items.len(), 10);
    let up = &items[0];
    assert_eq!(
        (
            up["id"].clone(),
            up["amount"].as_str(),
            up["currency"].as_str()
        ),
        (Value::Null, Some("123.45"), Some("usd"))
    );
    assert_eq!(
        (up["status"].as_str(), up["is_upcoming"].as_bool()),
        (Some("payable"), Some(true))
    );
    assert_eq!(up["formatted_amount"], "$123.45");
    for k in [
        "created_at",
        "processed_at",
        "payment_processor",
        "bank_account_visual",
        "paypal_email",
    ] {
        assert_eq!(up[k], Value::Null, "{k}");
    }
    let first = &items[1];
    for k in [
        "id",
        "amount",
        "currency",
        "status",
        "created_at",
        "processed_at",
        "payment_processor",
        "bank_account_visual",
        "paypal_email",
        "payout_period",
        "amount_cents",
        "formatted_amount",
        "is_upcoming",
        "display_payout_period",
    ] {
        assert!(first.get(k).is_some(), "{k}");
    }
    assert_eq!(
        (first["currency"].as_str(), first["status"].as_str()),
        (Some("USD"), Some("processing"))
    );
    assert_eq!(first["processed_at"], Value::Null);
    assert!(first.get("sales").is_none(), "lists never carry sales");
    let key = p1.body["next_page_key"].as_str().unwrap().to_string();
    assert_eq!(
        p1.body["next_page_url"],
        format!("/v2/payouts?page_key={key}")
    );
    let p2 = call(&mut s, "GET", "/payouts", FULL, &[("page_key", &key)]);
    let rest = p2.body["payouts"].as_array().unwrap();
    assert_eq!(rest.len(), 14 - 9);
    assert!(rest.iter().all(|p| !p["id"].is_null()));
    assert!(p2.body.get("next_page_key").is_none());
    let mut ids: Vec<String> = items
        .iter()
        .chain(rest)
        .skip(1)
        .map(|p| p["id"].to_string())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 14);
    let no_up = call(
        &mut s,
        "GET",
        "/payouts",
        FULL,
        &[("include_upcoming", "false")],
    );
    assert!(no_up.body["payouts"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| !p["id"].is_null()));
    assert_eq!(no_up.body["payouts"].as_array().unwrap().len(), 10);
    let past = call(&mut s, "GET", "/payouts", FULL, &[("before", "2026-01-01")]);
    assert!(!past.body["payouts"][0]["id"].is_null());
    let future = call(
        &mut s,
        "GET",
        "/payouts",
        FULL,
        &[("before", "2999-01-01"), ("after", "2026-05-01")],
    );
    let f = future.body["payouts"].as_array().unwrap();
    assert!(f[0]["id"].is_null());
    assert!(f
        .iter()
        .skip(1)
        .all(|p| p["created_at"].as_str().unwrap() >= "2026-05-01"));
    // Ada's balance is below the $10 minimum.
    let ada = call(&mut s, "GET", "/payouts", ADA, &[]);
    let a = ada.body["payouts"].as_array().unwrap();
    assert_eq!(a.len(), 3);
    assert!(!a[0]["id"].is_null());
    assert_eq!(a[0]["paypal_email"], "ada@example.com");
}

#[test]
fn payouts_errors_and_scopes() {
    let mut s = state();
    let both = call(
        &mut s,
        "GET",
        "/payouts",
        FULL,
        &[("after", "394293"), ("before", "invalid-date")],
    );
    assert_eq!(
        error_400(&both),
        "Invalid date format provided in field 'before'. Dates must be in the format YYYY-MM-DD."
    );
    let after = call(&mut s, "GET", "/payouts", FULL, &[("after", "394293")]);
    assert_eq!(
        error_400(&after),
        "Invalid date format provided in field 'after'. Dates must be in the format YYYY-MM-DD."
    );
    assert_eq!(
        error_400(&call(
            &mut s,
            "GET",
            "/payouts",
            FULL,
            &[("page_key", "invalid-page-key")]
        )),
        "Invalid page_key."
    );
    assert_eq!(call(&mut s, "GET", "/payouts", READONLY, &[]).status, 403);
    assert_eq!(call(&mut s, "GET", "/payouts", None, &[]).status, 401);
    assert_eq!(call(&mut s, "GET", "/payouts", ACCOUNT, &[]).status, 200);
}

#[test]
fn payout_show_adds_sales_only_with_view_sales() {
    let mut s = state();
    let with_sales = s
        .data
        .office
        .payouts
        .iter()
        .find(|p| p.seller_id == SELLER_A && !p.sale_ids.is_empty())
        .cloned()
        .expect("a payout with sales");
    let path = format!("/payouts/{}", with_sales.id);
    let o = call(&mut s, "GET", &path, FULL, &[]);
    assert_eq!(o.body["success"], true);
    assert_eq!(o.body["payout"]["sales"], json!(with_sales.sale_ids));
    assert!(
        o.body["payout"].get("refunded_sales").is_some()
            && o.body["payout"].get("disputed_sales").is_some()
    );
    let c = custom(&["view_payouts"]);
    let o = run(&mut s, "GET", &path, Params::default(), c);
    assert!(o.body["payout"].get("sales").is_none());
    let c = custom(&["account", "view_payouts"]);
    assert!(
        run(&mut s, "GET", &path, Params::default(), c).body["payout"]
            .get("sales")
            .is_none(),
        "account does not count"
    );
    let o = call(
        &mut s,
        "GET",
        &format!("{path}?include_sales=false&include_transactions=true"),
        FULL,
        &[],
    );
    assert!(o.body["payout"].get("sales").is_none());
    assert_eq!(
        o.body["payout"]["transactions"].as_array().unwrap().len(),
        with_sales.sale_ids.len() + with_sales.refunded_sale_ids.len()
    );
    assert_eq!(
        call(&mut s, "GET", "/payouts/nope", FULL, &[]).body,
        json!({"success": false, "message": "The payout was not found."})
    );
    assert_eq!(
        call(&mut s, "GET", &path, ADA, &[]).body["message"],
        "The payout was not found."
    );
}

#[test]
fn upcoming_payout_route() {
    let mut s = state();
    let o = call(
        &mut s,
        "GET",
        "/payouts/upcoming?include_transactions=true",
        FULL,
        &[],
    );
    assert_eq!(o.status, 200);
    let p = &o.body["payout"];
    assert_eq!(
        (p["formatted_amount"].as_str(), p["is_upcoming"].as_bool()),
        (Some("$123.45"), Some(true))
    );
    assert!(p["display_payout_period"].as_str().unwrap().contains(" - "));
    assert!(p["transactions"].is_array());
    assert_eq!(
        call(&mut s, "GET", "/payouts/upcoming", ADA, &[]).body,
        json!({"success": true, "payout": null})
    );
    assert_eq!(
        call(&mut s, "GET", "/payouts/upcoming", PUBLIC, &[]).status,
        403
    );
}

// ---- tax ------------------------------------------------------------------------------------

#[test]
fn tax_forms_list_and_year_rules() {
    let mut s = state();
    let o = call(&mut s, "GET", "/tax_forms", FULL, &[]);
    assert_eq!(o.status, 200);
    let years: Vec<(i64, &str)> = o.body["tax_forms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["tax_year"].as_i64().unwrap(),
                f["tax_form_type"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        years,
        [
            (2023, "us_1099_k"),
            (2024, "us_1099_k"),
            (2025, "us_1099_k"),
            (2025, "us_1099_misc")
        ]
    );
    let y = call(&mut s, "GET", "/tax_forms", FULL, &[("year", "2025")]);
    assert_eq!(
        y.body["tax_forms"][0],
        json!({"tax_year": 2025, "tax_form_type": "us_1099_k", "filed_at": "2026-01-31T12:00:00Z"})
    );
    assert_eq!(y.body["tax_forms"][1]["filed_at"], Value::Null);
    let bad = call(&mut s, "GET", "/tax_forms", FULL, &[("year", "2019")]);
    assert_eq!(
        (bad.status, bad.body),
        (
            404,
            json!({"success": false, "message": "Tax forms are not available for 2019."})
        )
    );
    let current = dates::year_of(dates::today()).to_string();
    assert_eq!(
        call(&mut s, "GET", "/tax_forms", FULL, &[("year", &current)]).status,
        404
    );
    let junk = call(&mut s, "GET", "/tax_forms", FULL, &[("year", "abc")]);
    assert_eq!(
        junk.body["message"],
        "Tax forms are not available for the requested year."
    );
    let arr = call_json(&mut s, "GET", "/tax_forms", FULL, json!({"year": ["2025"]}));
    assert_eq!(
        arr.body["message"],
        "Tax forms are not available for the requested year."
    );
    let ada = call(&mut s, "GET", "/tax_forms", ADA, &[]);
    assert_eq!(
        (ada.status, ada.body),
        (
            403,
            json!({"success": false, "message": "Tax center is not enabled for this account."})
        )
    );
    let ro = call(&mut s, "GET", "/tax_forms", READONLY, &[]);
    assert_eq!((ro.status, ro.resp.body.len()), (403, 0));
}

#[test]
fn tax_form_download_is_a_pdf_attachment() {
    let mut s = state();
    let o = call(
        &mut s,
        "GET",
        "/tax_forms/2025/us_1099_k/download",
        FULL,
        &[],
    );
    assert_eq!(o.status, 200);
    assert_eq!(o.resp.content_type, Some("application/pdf"));
    assert_eq!(
        header(&o.resp, "Content-Disposition"),
        Some("attachment; filename=\"1099-K-2025.pdf\"")
    );
    assert!(o.resp.body.starts_with(b"%PDF-"));
    for path in [
        "/tax_forms/2025/us_1099_misc/download",
        "/tax_forms/2025/us_1099_bogus/download",
        "/tax_forms/2019/us_1099_k/download",
        "/tax_forms/abc/us_1099_k/download",
        "/tax_forms/2022/us_1099_k/download",
    ] {
        let o = call(&mut s, "GET", path, FULL, &[]);
        assert_eq!(
            (o.status, o.body.clone()),
            (
                404,
                json!({"success": false, "message": "Tax form not found."})
            ),
            "{path}"
        );
    }
    assert_eq!(
        call(
            &mut s,
            "GET",
            "/tax_forms/2025/us_1099_k/download",
            ADA,
            &[]
        )
        .status,
        403
    );
}

#[test]
fn earnings_per_year() {
    let mut s = state();
    let o = call(&mut s, "GET", "/earnings", FULL, &[("year", "2021")]);
    assert_eq!(o.status, 200, "{}", o.body);
    // 2021: Calvin $5 and Sam $10 (Jordan's $5 was refunded); Gumroad's fee is 29 % in the seed.
    assert_eq!(
        o.body,
        json!({"success": true, "year": 2021, "currency": "usd", "gross_cents": 1500, "fees_cents": 435, "taxes_cents": 0, "affiliate_credit_cents": 0, "net_cents": 1065})
    );
    let missing = call(&mut s, "GET", "/earnings", FULL, &[]);
    assert_eq!(
        (missing.status, missing.body["message"].as_str()),
        (
            404,
            Some("Earnings are not available for the requested year.")
        )
    );
    let old = call(&mut s, "GET", "/earnings", FULL, &[("year", "2019")]);
    assert_eq!(old.body["message"], "Earnings are not available for 2019.");
    assert_eq!(
        call(&mut s, "GET", "/earnings", ADA, &[("year", "2024")]).status,
        403
    );
}

// ---- gumhead and the route table ------------------------------------------------------------

#[test]
fn gumhead_refuses_third_party_tokens_in_anthropics_envelope() {
    let mut s = state();
    for path in ["/gumhead/v1/messages", "/gumhead/v1/messages/count_tokens"] {
        let o = call_json(&mut s, "POST", path, FULL, json!({"model": "gumhead-chat"}));
        assert_eq!(o.status, 403);
        assert_eq!(
            o.body,
            json!({"type": "error", "error": {"type": "permission_error", "message": "This OAuth application cannot use the Gumhead gateway."}})
        );
        assert_eq!(call(&mut s, "POST", path, None, &[]).status, 401);
    }
}

#[test]
fn every_route_of_the_group_is_served() {
    let mut s = state();
    let routes = [
        ("POST", "/files/presign"),
        ("POST", "/files/complete"),
        ("POST", "/files/abort"),
        ("POST", "/direct_uploads"),
        ("GET", "/media"),
        ("POST", "/media"),
        ("DELETE", "/media/x"),
        ("POST", "/sales/exports"),
        ("GET", "/sales/summary"),
        ("GET", "/payouts/upcoming"),
        ("GET", "/payouts"),
        ("GET", "/payouts/x"),
        ("GET", "/tax_forms"),
        ("GET", "/tax_forms/2025/us_1099_k/download"),
        ("GET", "/earnings"),
        ("POST", "/gumhead/v1/messages"),
        ("POST", "/gumhead/v1/messages/count_tokens"),
    ];
    for (m, p) in routes {
        let o = call(&mut s, m, p, FULL, &[]);
        assert_ne!(
            o.resp.content_type,
            Some("text/html; charset=utf-8"),
            "{m} {p}"
        );
        // And without a token: Doorkeeper's empty 401.
        assert_eq!(call(&mut s, m, p, None, &[]).status, 401, "{m} {p}");
    }
    assert_eq!(
        call(&mut s, "GET", "/files/presign", FULL, &[])
            .resp
            .content_type,
        Some("text/html; charset=utf-8")
    );
}
