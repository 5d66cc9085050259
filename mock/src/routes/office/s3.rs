//! The S3 stand-in under `/__s3/`: takes the part PUTs of presigned multipart uploads and the
//! bytes of direct uploads, and serves stored objects back. Errors are S3's XML documents with
//! S3's codes and texts, so a client's S3 error handling is exercised too.

use ::http::HeaderMap;

use super::uploads::{self, blob_signature, object_name, part_object, sign, BUCKET};
use super::util;
use crate::http::Resp;
use crate::model_office::UploadedPart;
use crate::state::{now_unix, State};

/// Where media bytes stored by `POST /v2/media` live (Gumroad's public-files bucket).
pub const PUBLIC_BUCKET: &str = "gumroad-public";
/// The stand-in keeps everything in memory; past this it refuses new bytes.
pub const MAX_STORE_BYTES: usize = 2 << 30;
/// Extra bytes accepted above the expected body, so an oversized body still reaches the handler
/// and gets S3's answer rather than a cut connection.
const SLACK: usize = 64 * 1024;
/// Direct-upload bodies above this are refused whatever the reservation says (memory).
const MAX_BLOB_BODY: usize = 512 << 20;

fn xml_error(status: u16, code: &str, message: &str) -> Resp {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{}</Code><Message>{}</Message><RequestId>MOCKREQUEST0000</RequestId><HostId>gumroad-mock</HostId></Error>",
        esc(code),
        esc(message)
    );
    Resp {
        status,
        content_type: Some("application/xml"),
        headers: vec![],
        body: body.into_bytes(),
    }
    .header("Access-Control-Expose-Headers", "ETag")
}

pub fn no_such_upload() -> Resp {
    xml_error(
        404,
        "NoSuchUpload",
        "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
    )
}

fn signature_mismatch() -> Resp {
    xml_error(
        403,
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
    )
}

fn expired() -> Resp {
    xml_error(403, "AccessDenied", "Request has expired")
}

/// S3's answer to a body above the limit (instead of the mock's generic 413).
pub fn entity_too_large() -> Resp {
    xml_error(
        400,
        "EntityTooLarge",
        "Your proposed upload exceeds the maximum allowed size",
    )
}

fn store_full() -> Resp {
    xml_error(
        503,
        "ServiceUnavailable",
        "The gumroad-mock object store is full (2 GiB); POST /__mock/reset empties it.",
    )
}

fn query_value(query: &str, key: &str) -> Option<String> {
    crate::urlenc::parse_form(query)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
}

fn object_of_path(path: &str) -> String {
    path.split('/')
        .map(crate::urlenc::decode_path_segment)
        .collect::<Vec<_>>()
        .join("/")
}

/// The largest body accepted for a `PUT /__s3/...`: a part (the part size), or the reserved
/// size of a direct upload.
pub fn body_limit(state: &State, path: &str, query: &str) -> usize {
    if query_value(query, "uploadId").is_some() {
        let part = usize::try_from(state.settings.upload_part_size).unwrap_or(usize::MAX);
        return part.saturating_add(SLACK);
    }
    let object = object_of_path(path);
    state
        .data
        .office
        .blobs
        .iter()
        .find(|b| object_name(&b.key) == object)
        .map(|b| usize::try_from(b.byte_size).unwrap_or(usize::MAX))
        .unwrap_or(0)
        .min(MAX_BLOB_BODY)
        .saturating_add(SLACK)
}

/// `path` is what follows `/__s3/`.
pub fn handle(
    state: &mut State,
    method: &str,
    path: &str,
    query: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Resp {
    let object = object_of_path(path);
    match method {
        "PUT" if query_value(query, "uploadId").is_some() => {
            put_part(state, &object, query, headers, body)
        }
        "PUT" => put_blob(state, &object, query, headers, body),
        "GET" | "HEAD" => get_object(state, &object, method == "HEAD"),
        _ => xml_error(
            405,
            "MethodNotAllowed",
            "The specified method is not allowed against this resource.",
        ),
    }
}

/// Checks an optional `Content-MD5` against the body (S3 verifies it when sent).
fn check_content_md5(headers: &HeaderMap, body: &[u8]) -> Result<(), Resp> {
    let Some(sent) = header(headers, "content-md5") else {
        return Ok(());
    };
    match util::base64_decode(sent) {
        Some(raw) if raw.len() == 16 => {
            if raw.as_slice() == util::md5_bytes(body).as_slice() {
                Ok(())
            } else {
                Err(xml_error(
                    400,
                    "BadDigest",
                    "The Content-MD5 you specified did not match what we received.",
                ))
            }
        }
        _ => Err(xml_error(
            400,
            "InvalidDigest",
            "The Content-MD5 you specified is not valid.",
        )),
    }
}

fn store(state: &mut State, name: String, body: &[u8]) -> Result<(), Resp> {
    let replaced = state.objects.get(&name).map(Vec::len).unwrap_or(0);
    if state.object_bytes().saturating_sub(replaced) + body.len() > MAX_STORE_BYTES {
        return Err(store_full());
    }
    state.objects.insert(name, body.to_vec());
    Ok(())
}

fn ok_with_etag(etag: &str) -> Resp {
    Resp::empty(200)
        .header("ETag", etag)
        .header("Access-Control-Expose-Headers", "ETag")
}

fn put_part(
    state: &mut State,
    object: &str,
    query: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Resp {
    let upload_id = query_value(query, "uploadId").unwrap_or_default();
    let number = query_value(query, "partNumber").unwrap_or_default();
    let signature = query_value(query, "X-Amz-Signature").unwrap_or_default();
    if signature != sign(&["PUT", object, &upload_id, &number]) {
        return signature_mismatch();
    }
    let Some(idx) = state
        .data
        .office
        .uploads
        .iter()
        .position(|u| u.upload_id == upload_id && u.object == object)
    else {
        return no_such_upload();
    };
    if now_unix() > state.data.office.uploads[idx].urls_expire_at {
        return expired();
    }
    if state.data.office.uploads[idx].status != "pending" {
        return no_such_upload();
    }
    let Ok(part_number) = number.parse::<u64>() else {
        return xml_error(
            400,
            "InvalidArgument",
            "Part number must be an integer between 1 and 10000, inclusive",
        );
    };
    if let Err(r) = check_content_md5(headers, body) {
        return r;
    }
    if let Err(r) = store(state, part_object(&upload_id, part_number), body) {
        return r;
    }
    let etag = format!("\"{}\"", util::md5_hex(body));
    let up = &mut state.data.office.uploads[idx];
    up.parts.retain(|p| p.part_number != part_number);
    up.parts.push(UploadedPart {
        part_number,
        etag: etag.clone(),
        size: body.len() as u64,
    });
    up.parts.sort_by_key(|p| p.part_number);
    ok_with_etag(&etag)
}

/// The PUT of a direct upload. ActiveStorage signs `Content-Type`, `Content-MD5` and
/// `Content-Length` into the URL, so any difference from the reservation is S3's
/// `SignatureDoesNotMatch`; a checksum that matches the reservation but not the bytes is
/// `BadDigest`.
fn put_blob(
    state: &mut State,
    object: &str,
    query: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Resp {
    let Some(idx) = state
        .data
        .office
        .blobs
        .iter()
        .position(|b| object_name(&b.key) == object)
    else {
        return signature_mismatch();
    };
    let b = &state.data.office.blobs[idx];
    if now_unix() > b.url_expires_at {
        return expired();
    }
    let signed_headers_match = header(headers, "content-type") == Some(b.content_type.as_str())
        && header(headers, "content-md5") == Some(b.checksum.as_str())
        && body.len() as u64 == b.byte_size;
    let signature = query_value(query, "X-Amz-Signature").unwrap_or_default();
    if !signed_headers_match || signature != blob_signature(b) {
        return signature_mismatch();
    }
    if let Err(r) = check_content_md5(headers, body) {
        return r;
    }
    if let Err(r) = store(state, object.to_string(), body) {
        return r;
    }
    state.data.office.blobs[idx].uploaded = true;
    ok_with_etag(&format!("\"{}\"", util::md5_hex(body)))
}

fn get_object(state: &State, object: &str, head: bool) -> Resp {
    let readable = object.starts_with(&format!("{BUCKET}/"))
        || object.starts_with(&format!("{PUBLIC_BUCKET}/"));
    let Some(bytes) = state.objects.get(object).filter(|_| readable) else {
        return xml_error(404, "NoSuchKey", "The specified key does not exist.");
    };
    let content_type = state
        .data
        .office
        .blobs
        .iter()
        .find(|b| object_name(&b.key) == object)
        .map(|b| b.content_type.clone())
        .or_else(|| {
            state
                .data
                .office
                .media
                .iter()
                .find(|m| {
                    m.url
                        .as_deref()
                        .and_then(uploads::object_from_url)
                        .as_deref()
                        == Some(object)
                })
                .map(|m| m.content_type.clone())
        })
        .unwrap_or_else(|| "application/octet-stream".into());
    let etag = format!("\"{}\"", util::md5_hex(bytes));
    let mut r = Resp::empty(200)
        .header("ETag", &etag)
        .header("Content-Type", &content_type)
        .header("Access-Control-Expose-Headers", "ETag");
    if !head {
        r.body = bytes.clone();
    }
    r
}
