//! Uploads: Gumroad's multipart presign flow for product files, ActiveStorage direct uploads
//! for images, and the S3 stand-in (`/__s3/...`) the presigned URLs point to.
//!
//! The two functions below are what other route groups use (covers, thumbnails and media take a
//! `signed_blob_id`; product `files[]` take a `file_url` from `/files/complete`).

use serde_json::{json, Map, Value};

use super::util::{self, random_string, ruby_to_i, HEX_DIGITS, LOWER_ALNUM};
use crate::http::{blank, Param, Resp};
use crate::model_office::{Blob, FileAbort, MultipartUpload};
use crate::routes::ApiRequest;
use crate::state::{now_iso, now_unix, State};

/// A blob reserved with `POST /v2/direct_uploads` whose bytes were uploaded.
#[derive(Clone, Debug)]
pub struct BlobInfo {
    pub filename: String,
    pub content_type: String,
    pub byte_size: u64,
    /// Where the mock serves the bytes.
    pub url: String,
}

/// The uploaded blob for `signed_id`, when `seller_id` reserved it and its bytes arrived.
/// A blob already attached to a media item is no longer offered.
pub fn resolve_blob(state: &State, seller_id: &str, signed_id: &str) -> Option<BlobInfo> {
    let b = state
        .data
        .office
        .blobs
        .iter()
        .find(|b| b.signed_id == signed_id && !signed_id.is_empty())?;
    if b.seller_id != seller_id || !b.uploaded || b.attached_to.is_some() {
        return None;
    }
    Some(BlobInfo {
        filename: b.filename.clone(),
        content_type: b.content_type.clone(),
        byte_size: b.byte_size,
        url: object_url(&state.host, &object_name(&b.key)),
    })
}

/// Whether `url` is a `file_url` returned by `POST /v2/files/complete` for `seller_id`.
/// Compared by the object path, so `localhost` and `127.0.0.1` spellings of the mock's host
/// both count.
pub fn completed_file_url(state: &State, seller_id: &str, url: &str) -> bool {
    let Some(object) = object_from_url(url) else {
        return false;
    };
    state
        .data
        .office
        .uploads
        .iter()
        .any(|u| u.seller_id == seller_id && u.status == "completed" && u.object == object)
}

/// The bucket every upload lands in.
pub const BUCKET: &str = "gumroad-mock";
/// `PRESIGNED_URL_EXPIRY_SECONDS` of Gumroad's files controller.
pub const PART_URL_EXPIRY: i64 = 900;
/// ActiveStorage's default `service_urls_expire_in` (5 minutes).
pub const DIRECT_UPLOAD_URL_EXPIRY: i64 = 300;
/// Gumroad's 20 GB (`20.gigabytes`) ceiling for files and direct uploads.
pub const MAX_FILE_SIZE: i64 = 20 * 1024 * 1024 * 1024;
/// `CreatePublicMediaService::MAX_IMAGE_BYTES` (10 MB).
pub const MEDIA_MAX_BYTES: i64 = 10 * 1024 * 1024;
/// S3 refuses part numbers above this.
pub const MAX_PARTS: u64 = 10_000;
/// What makes the signatures of the stand-in's URLs unforgeable by guessing.
const SIGNING_KEY: &str = "gumroad-mock-s3-signing-key";

pub fn object_name(key: &str) -> String {
    format!("{BUCKET}/{key}")
}

/// Where the part bytes of an unfinished upload are kept in `State::objects`.
pub fn part_object(upload_id: &str, part_number: u64) -> String {
    format!("parts/{upload_id}/{part_number}")
}

/// `http://HOST/__s3/<object>` with each path segment percent-encoded.
pub fn object_url(host: &str, object: &str) -> String {
    let path: Vec<String> = object.split('/').map(crate::urlenc::encode).collect();
    format!("http://{host}/__s3/{}", path.join("/"))
}

/// The object a `/__s3/` URL names (decoded; query and fragment ignored).
pub fn object_from_url(url: &str) -> Option<String> {
    let (_, rest) = url.split_once("/__s3/")?;
    let path = rest.split(['?', '#']).next().unwrap_or_default();
    let segs: Vec<String> = path
        .split('/')
        .map(crate::urlenc::decode_path_segment)
        .collect();
    Some(segs.join("/"))
}

pub fn sign(parts: &[&str]) -> String {
    util::sha256_hex(format!("{SIGNING_KEY}\n{}", parts.join("\n")).as_bytes())
}

fn part_url(host: &str, up: &MultipartUpload, part_number: u64) -> String {
    let n = part_number.to_string();
    let sig = sign(&["PUT", &up.object, &up.upload_id, &n]);
    format!(
        "{}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires={PART_URL_EXPIRY}&X-Amz-SignedHeaders=host&partNumber={n}&uploadId={}&X-Amz-Signature={sig}",
        object_url(host, &up.object),
        crate::urlenc::encode(&up.upload_id)
    )
}

pub fn blob_signature(b: &Blob) -> String {
    sign(&[
        "PUT",
        &object_name(&b.key),
        &b.content_type,
        &b.checksum,
        &b.byte_size.to_string(),
    ])
}

fn blob_url(host: &str, b: &Blob) -> String {
    format!(
        "{}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires={DIRECT_UPLOAD_URL_EXPIRY}&X-Amz-SignedHeaders=content-length%3Bcontent-md5%3Bcontent-type%3Bhost&X-Amz-Signature={}",
        object_url(host, &object_name(&b.key)),
        blob_signature(b)
    )
}

/// `ActiveStorage::Filename#sanitized`.
pub fn sanitize_filename(name: &str) -> String {
    name.trim()
        .chars()
        .map(|c| {
            if "\u{202E}%$|:;/<>?*\"\t\r\n\\".contains(c) {
                '-'
            } else {
                c
            }
        })
        .collect()
}

fn key_prefix(seller_id: &str) -> String {
    format!("attachments/{seller_id}/")
}

fn param_text(req: &ApiRequest, key: &str) -> String {
    req.params.get(key).map(Param::as_text).unwrap_or_default()
}

/// `POST /v2/files/presign`.
pub fn presign(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let caller = req.require(&["edit_products"])?.clone();
    let filename = sanitize_filename(&param_text(req, "filename"));
    if filename.is_empty() {
        return Err(Resp::bad_request("filename is required"));
    }
    let file_size = ruby_to_i(req.params.get("file_size"));
    if file_size <= 0 {
        return Err(Resp::bad_request("file_size is required"));
    }
    if file_size > MAX_FILE_SIZE {
        return Err(Resp::bad_request("file_size exceeds the 20 GB maximum"));
    }
    let file_size = file_size as u64;
    let part_size = state.settings.upload_part_size.max(1);
    let part_count = file_size.div_ceil(part_size);
    if part_count > MAX_PARTS {
        // Only reachable with a tiny `upload_part_size`; S3 would refuse part 10001 this way.
        return Err(Resp::bad_request(
            "Part number must be an integer between 1 and 10000, inclusive",
        ));
    }
    let guid = random_string(state, HEX_DIGITS, 32);
    let key = format!(
        "{}{guid}/original/{filename}",
        key_prefix(&caller.seller_id)
    );
    let upload_id = format!("2~{}", state.new_secret(36));
    let up = MultipartUpload {
        upload_id: upload_id.clone(),
        seller_id: caller.seller_id.clone(),
        key: key.clone(),
        filename,
        file_size,
        part_size,
        part_count,
        created_at: now_iso(),
        urls_expire_at: now_unix() + PART_URL_EXPIRY,
        status: "pending".into(),
        parts: vec![],
        object: object_name(&key),
    };
    let host = state.host.clone();
    let parts: Vec<Value> = (1..=part_count)
        .map(|n| json!({"part_number": n, "presigned_url": part_url(&host, &up, n)}))
        .collect();
    let file_url = object_url(&host, &up.object);
    state.data.office.uploads.push(up);
    Ok(Resp::ok(json!({
        "success": true,
        "upload_id": upload_id,
        "key": key,
        "file_url": file_url,
        "parts": parts,
    })))
}

fn upload_and_key(req: &ApiRequest) -> Result<(String, String), Resp> {
    let upload_id = param_text(req, "upload_id");
    let key = param_text(req, "key");
    if upload_id.trim().is_empty() {
        return Err(Resp::bad_request("upload_id is required"));
    }
    if key.trim().is_empty() {
        return Err(Resp::bad_request("key is required"));
    }
    Ok((upload_id, key))
}

/// S3's texts, as the files controller passes them on (`e.message`).
pub const NO_SUCH_UPLOAD: &str = "The specified upload does not exist.";
pub const INVALID_PART: &str = "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.";
pub const INVALID_PART_ORDER: &str =
    "The list of parts was not in ascending order. Parts must be ordered by part number.";
pub const ENTITY_TOO_SMALL: &str = "Your proposed upload is smaller than the minimum allowed size";
/// S3's minimum size of every part but the last.
const S3_MIN_PART: u64 = 5 * 1024 * 1024;

fn pending_upload(state: &State, upload_id: &str, key: &str) -> Option<usize> {
    state
        .data
        .office
        .uploads
        .iter()
        .position(|u| u.upload_id == upload_id && u.key == key && u.status == "pending")
}

/// `POST /v2/files/complete` with `parts` = `[{part_number, etag}]` (JSON).
pub fn complete(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let caller = req.require(&["edit_products"])?.clone();
    let (upload_id, key) = upload_and_key(req)?;
    let parts_param = req.params.get("parts");
    if blank(parts_param) {
        return Err(Resp::bad_request("parts is required"));
    }
    if !key.starts_with(&key_prefix(&caller.seller_id)) {
        return Err(Resp::bad_request("invalid key"));
    }
    // Indexed form keys (`parts[0][etag]`) never arrive as a list; Gumroad mis-parses them and
    // fails, so the mock refuses anything but a JSON array here.
    let Some(Param::Json(Value::Array(items))) = parts_param else {
        return Err(Resp::bad_request("parts is required"));
    };
    let listed: Vec<(u64, String)> = items
        .iter()
        .map(|p| {
            let n = ruby_to_i(
                p.get("part_number")
                    .map(|v| Param::Json(v.clone()))
                    .as_ref(),
            );
            let etag = p
                .get("etag")
                .map(|v| Param::Json(v.clone()).as_text())
                .unwrap_or_default();
            (n.max(0) as u64, etag)
        })
        .collect();
    let Some(idx) = pending_upload(state, &upload_id, &key) else {
        return Err(Resp::bad_request(NO_SUCH_UPLOAD));
    };
    if listed
        .iter()
        .zip(listed.iter().skip(1))
        .any(|(a, b)| a.0 >= b.0)
    {
        return Err(Resp::bad_request(INVALID_PART_ORDER));
    }
    let up = &state.data.office.uploads[idx];
    let unquote = |s: &str| s.trim().trim_matches('"').to_ascii_lowercase();
    let every_part_arrived = listed.len() as u64 == up.part_count
        && listed.iter().enumerate().all(|(i, (n, etag))| {
            *n == i as u64 + 1
                && up
                    .parts
                    .iter()
                    .any(|p| p.part_number == *n && unquote(&p.etag) == unquote(etag))
        });
    // S3 would assemble whatever subset was listed; the mock insists on every presigned part,
    // so a client that drops one learns it here rather than from a corrupt download.
    if !every_part_arrived {
        return Err(Resp::bad_request(INVALID_PART));
    }
    let min_part = S3_MIN_PART.min(up.part_size);
    let too_small = listed
        .iter()
        .take(listed.len().saturating_sub(1))
        .any(|(n, _)| {
            up.parts
                .iter()
                .any(|p| p.part_number == *n && p.size < min_part)
        });
    if too_small {
        return Err(Resp::bad_request(ENTITY_TOO_SMALL));
    }
    let object = up.object.clone();
    let mut assembled = Vec::new();
    for (n, _) in &listed {
        if let Some(bytes) = state.objects.remove(&part_object(&upload_id, *n)) {
            assembled.extend_from_slice(&bytes);
        }
    }
    // Parts that were uploaded but superseded stay nowhere.
    state
        .objects
        .retain(|k, _| !k.starts_with(&format!("parts/{upload_id}/")));
    state.objects.insert(object.clone(), assembled);
    let up = &mut state.data.office.uploads[idx];
    up.status = "completed".into();
    Ok(Resp::ok(json!({
        "success": true,
        "file_url": object_url(&state.host, &object),
    })))
}

/// `POST /v2/files/abort`: `accepted`, or `already_gone` when S3 no longer knows the upload.
pub fn abort(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let caller = req.require(&["edit_products"])?.clone();
    let (upload_id, key) = upload_and_key(req)?;
    if !key.starts_with(&key_prefix(&caller.seller_id)) {
        return Err(Resp::bad_request("invalid key"));
    }
    let status = match pending_upload(state, &upload_id, &key) {
        Some(idx) => {
            state.data.office.uploads[idx].status = "aborted".into();
            state
                .objects
                .retain(|k, _| !k.starts_with(&format!("parts/{upload_id}/")));
            "accepted"
        }
        None => "already_gone",
    };
    state.data.office.file_aborts.push(FileAbort {
        upload_id,
        key,
        status: status.into(),
        at: now_iso(),
    });
    Ok(Resp::ok(json!({"success": true, "status": status})))
}

/// The permitted `blob[...]` arguments, from a JSON object or form bracket keys (which Rack
/// nests into the same object).
/// `None` when `blob` is absent or empty (Rails' `params.require(:blob)`).
fn blob_args(req: &ApiRequest) -> Option<Map<String, Value>> {
    const PERMITTED: [&str; 4] = ["filename", "byte_size", "checksum", "content_type"];
    let mut out = Map::new();
    match req.params.get("blob") {
        Some(Param::Json(Value::Object(m))) => {
            for k in PERMITTED {
                // `permit` keeps scalars only.
                if let Some(v) = m.get(k).filter(|v| !v.is_array() && !v.is_object()) {
                    out.insert(k.into(), v.clone());
                }
            }
            if m.is_empty() {
                return None;
            }
        }
        Some(_) => return None,
        None => return None,
    }
    Some(out)
}

/// ActiveStorage's direct-upload content types of Gumroad (`ALLOWED_CONTENT_TYPES`).
fn allowed_product_type(ct: &str) -> bool {
    let ct = ct.to_ascii_lowercase();
    let Some((kind, sub)) = ct.split_once('/') else {
        return false;
    };
    let sub_ok = !sub.is_empty()
        && sub
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b".+-".contains(&b));
    match kind {
        "image" => matches!(sub, "jpeg" | "jpg" | "png" | "gif"),
        "video" => sub_ok,
        _ => false,
    }
}

/// `MEDIA_ALLOWED_CONTENT_TYPES` minus SVG.
fn allowed_media_type(ct: &str) -> bool {
    let lower = ct.to_ascii_lowercase();
    let Some(sub) = lower.strip_prefix("image/") else {
        return false;
    };
    !sub.is_empty()
        && sub
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b".+-".contains(&b))
        && lower != "image/svg+xml"
}

/// `POST /v2/direct_uploads`: reserves an ActiveStorage blob; the bytes go to
/// `direct_upload.url` with `direct_upload.headers`.
pub fn direct_upload(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let media = param_text(req, "purpose") == "media";
    let caller = if media {
        req.require(&["edit_profile"])?;
        req.require_strict("edit_profile")?.clone()
    } else {
        req.require(&["edit_products"])?.clone()
    };
    let Some(args) = blob_args(req) else {
        // Rails 7's ParameterMissing text; newer Rails adds "or invalid" (unverified which one
        // Gumroad runs).
        return Err(Resp::bad_request(
            "param is missing or the value is empty: blob",
        ));
    };
    for k in ["filename", "byte_size", "checksum"] {
        if !args.contains_key(k) {
            return Err(Resp::bad_request(&format!("{k} is required")));
        }
    }
    let byte_size = ruby_to_i(
        args.get("byte_size")
            .map(|v| Param::Json(v.clone()))
            .as_ref(),
    );
    if byte_size <= 0 {
        return Err(Resp::bad_request("byte_size is required"));
    }
    if media && byte_size > MEDIA_MAX_BYTES {
        return Err(Resp::bad_request(
            "byte_size exceeds the 10 MB maximum for media uploads",
        ));
    }
    if !media && byte_size > MAX_FILE_SIZE {
        return Err(Resp::bad_request("byte_size exceeds the 20 GB maximum"));
    }
    let content_type = match args.get("content_type") {
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    };
    let type_ok = if media {
        allowed_media_type(&content_type)
    } else {
        allowed_product_type(&content_type)
    };
    if !type_ok {
        return Err(Resp::bad_request(if media {
            "content_type must be an image type."
        } else {
            "content_type must be JPEG, PNG, GIF, or video."
        }));
    }
    let text = |k: &str| {
        args.get(k)
            .map(|v| Param::Json(v.clone()).as_text())
            .unwrap_or_default()
    };
    let checksum = text("checksum");
    if checksum.trim().is_empty() {
        // The blob's own presence validation (`RecordInvalid`).
        return Err(Resp::bad_request("Checksum can't be blank"));
    }
    let id = 4_711 + state.data.office.blobs.len() as u64;
    let key = random_string(state, LOWER_ALNUM, 28);
    let payload = json!({"_rails": {"data": id, "pur": "blob_id"}}).to_string();
    let encoded = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &payload);
    let digest: String = sign(&["blob", &encoded]).chars().take(40).collect();
    let signed_id = format!("{encoded}--{digest}");
    let seller_numeric = state
        .seller(&caller.seller_id)
        .and_then(|s| s.id.parse::<u64>().ok())
        .unwrap_or(0);
    let blob = Blob {
        id,
        key: key.clone(),
        signed_id: signed_id.clone(),
        seller_id: caller.seller_id.clone(),
        filename: text("filename"),
        content_type: content_type.clone(),
        byte_size: byte_size as u64,
        checksum: checksum.clone(),
        purpose: media.then(|| "media".to_string()),
        created_at: now_iso(),
        url_expires_at: now_unix() + DIRECT_UPLOAD_URL_EXPIRY,
        uploaded: false,
        attached_to: None,
    };
    let body = json!({
        "id": id,
        "key": key,
        "filename": blob.filename,
        "content_type": content_type,
        "metadata": {"uploaded_by_user_id": seller_numeric},
        "service_name": "amazon",
        "byte_size": blob.byte_size,
        "checksum": checksum,
        "created_at": blob.created_at,
        "signed_id": signed_id,
        "direct_upload": {
            "url": blob_url(&state.host, &blob),
            "headers": {"Content-Type": content_type, "Content-MD5": checksum},
        },
    });
    state.data.office.blobs.push(blob);
    // No `success` key: the body is ActiveStorage's blob JSON.
    Ok(Resp::ok(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filenames_are_sanitized_like_active_storage() {
        assert_eq!(sanitize_filename("  a/b:c?.pdf "), "a-b-c-.pdf");
        assert_eq!(sanitize_filename("my course.zip"), "my course.zip");
        assert_eq!(sanitize_filename("   "), "");
    }

    #[test]
    fn urls_round_trip_to_objects() {
        let obj = "gumroad-mock/attachments/kL0paVL2SdmJSYsNs-OCMg==/ab/original/my file.pdf";
        let url = object_url("h:1", obj);
        assert!(url.contains("my%20file.pdf"), "{url}");
        assert_eq!(object_from_url(&format!("{url}?x=1")).as_deref(), Some(obj));
        assert_eq!(object_from_url("https://elsewhere/x"), None);
    }

    #[test]
    fn content_type_rules() {
        assert!(allowed_product_type("image/PNG"));
        assert!(allowed_product_type("video/mp4"));
        assert!(!allowed_product_type("image/webp"));
        assert!(!allowed_product_type("application/pdf"));
        assert!(allowed_media_type("image/webp"));
        assert!(!allowed_media_type("image/svg+xml"));
        assert!(!allowed_media_type("audio/mpeg"));
    }
}
