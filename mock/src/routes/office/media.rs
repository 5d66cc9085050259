//! The seller's public media library: `GET /v2/media` (`view_profile`, strict),
//! `POST /v2/media` and `DELETE /v2/media/:id` (`edit_profile`, strict).
//!
//! Gumroad downloads `url`s server-side; the mock has no network, so it answers from a tiny
//! synthetic web instead (documented in mock/README.md): image extensions give a small image of
//! that type, `.svg` an SVG, anything else an HTML page; a path segment `missing` or `404` fails
//! the download, `too-large` exceeds 10 MB, and hosts under `.invalid` do not resolve.

use serde_json::{json, Value};

use super::s3::PUBLIC_BUCKET;
use super::uploads::{object_name, object_url, MEDIA_MAX_BYTES};
use super::util::{random_string, LOWER_ALNUM};
use crate::http::{Param, Resp};
use crate::model_office::Media;
use crate::routes::ApiRequest;
use crate::state::{now_iso, Caller, State};

/// `CreatePublicMediaService::MAX_ALIVE_MEDIA_FILES_PER_SELLER`.
pub const MAX_MEDIA_PER_SELLER: usize = 500;

/// Doorkeeper's check (empty 403 without the scope or `account`), then Gumroad's strict check
/// (JSON 403 for an `account`-only token), as the strict v2 controllers chain them.
fn strict(req: &ApiRequest, scope: &str) -> Result<Caller, Resp> {
    req.require(&[scope])?;
    Ok(req.require_strict(scope)?.clone())
}

pub fn view(m: &Media) -> Value {
    json!({
        "id": m.id,
        "name": m.name,
        "extension": m.extension,
        "file_size": m.file_size,
        "url": m.url,
        "status": {"type": "saved"},
        "file_group": m.file_group,
        "created_at": m.created_at,
    })
}

fn alive<'a>(state: &'a State, seller: &'a str) -> impl DoubleEndedIterator<Item = &'a Media> + 'a {
    state
        .data
        .office
        .media
        .iter()
        .filter(move |m| m.seller_id == seller && !m.deleted)
}

/// `GET /v2/media`: newest first.
pub fn list(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let caller = strict(req, "view_profile")?;
    let list: Vec<Value> = alive(state, &caller.seller_id).rev().map(view).collect();
    Ok(Resp::success("media", Value::Array(list)))
}

/// `DELETE /v2/media/:id` (also allowed for inactive accounts: it reduces what they host).
pub fn delete(state: &mut State, req: &ApiRequest, id: &str) -> Result<Resp, Resp> {
    let caller = strict(req, "edit_profile")?;
    let Some(m) = state
        .data
        .office
        .media
        .iter_mut()
        .find(|m| m.id == id && m.seller_id == caller.seller_id && !m.deleted)
    else {
        return Ok(Resp::not_found("media"));
    };
    m.deleted = true;
    if let Some(object) = m.url.as_deref().and_then(super::uploads::object_from_url) {
        state.objects.remove(&object);
    }
    Ok(Resp::ok(
        json!({"success": true, "message": "The file was deleted."}),
    ))
}

/// What the bytes are (Marcel's magic numbers), falling back to the file name's extension and
/// then to the declared type, as ActiveStorage's `identify` does.
pub fn sniff(bytes: &[u8], filename: &str, declared: &str) -> String {
    let starts = |m: &[u8]| bytes.starts_with(m);
    let head = String::from_utf8_lossy(bytes.get(..512).unwrap_or(bytes)).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    let from_data = if starts(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if starts(b"\xff\xd8\xff") {
        Some("image/jpeg")
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Some("image/gif")
    } else if starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        Some("image/webp")
    } else if starts(b"BM") {
        Some("image/bmp")
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        Some("image/tiff")
    } else if starts(b"\0\0\x01\0") {
        Some("image/vnd.microsoft.icon")
    } else if bytes.get(4..12) == Some(b"ftypavif") {
        Some("image/avif")
    } else if starts(b"%PDF") {
        Some("application/pdf")
    } else if starts(b"PK\x03\x04") {
        Some("application/zip")
    } else if head.starts_with("<svg") || (head.starts_with("<?xml") && head.contains("<svg")) {
        Some("image/svg+xml")
    } else if head.starts_with("<!doctype html") || head.starts_with("<html") {
        Some("text/html")
    } else {
        None
    };
    if let Some(t) = from_data {
        return t.into();
    }
    let ext = filename
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let from_name = match ext.as_str() {
        "png" => Some("image/png"),
        "jpg" | "jpeg" => Some("image/jpeg"),
        "gif" => Some("image/gif"),
        "webp" => Some("image/webp"),
        "svg" => Some("image/svg+xml"),
        "pdf" => Some("application/pdf"),
        "txt" => Some("text/plain"),
        "mp3" => Some("audio/mpeg"),
        "mp4" => Some("video/mp4"),
        _ => None,
    };
    match from_name {
        Some(t) => t.into(),
        None if !declared.is_empty() => declared.to_ascii_lowercase(),
        None => "application/octet-stream".into(),
    }
}

fn extension_for(content_type: &str) -> &'static str {
    match content_type {
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/gif" => "gif",
        "image/webp" => "webp",
        "image/bmp" => "bmp",
        "image/tiff" => "tiff",
        "image/avif" => "avif",
        "image/vnd.microsoft.icon" => "ico",
        _ => "",
    }
}

/// A small file of the given kind, as the synthetic web serves it.
pub fn sample_bytes(ext: &str) -> Vec<u8> {
    let mut v: Vec<u8> = match ext {
        "png" => b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(),
        "jpg" | "jpeg" => b"\xff\xd8\xff\xe0\0\x10JFIF\0".to_vec(),
        "gif" => b"GIF89a\x01\0\x01\0".to_vec(),
        "webp" => b"RIFF\x24\0\0\0WEBPVP8 ".to_vec(),
        "svg" => b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>".to_vec(),
        _ => b"<!DOCTYPE html><html><body>not an image</body></html>".to_vec(),
    };
    v.extend(std::iter::repeat_n(0u8, 64));
    v
}

enum Fetch {
    Ok { filename: String, bytes: Vec<u8> },
    Err(&'static str),
}

const INVALID_URL: &str = "Please provide a valid public URL.";
const DOWNLOAD_FAILED: &str = "We couldn't download that file, please check the URL and try again.";
const TOO_LARGE: &str = "That file is too large. Images can be up to 10 MB.";
const BLOB_INVALID: &str = "The signed_blob_id is invalid or expired.";

/// Whether a host is what SsrfFilter refuses: loopback, private, link-local and reserved
/// addresses and names that stay local.
fn private_host(host: &str) -> bool {
    let h = host.trim_matches(['[', ']']).to_ascii_lowercase();
    if h == "localhost"
        || h.ends_with(".localhost")
        || h.ends_with(".local")
        || h.ends_with(".internal")
    {
        return true;
    }
    if let Ok(ip) = h.parse::<std::net::Ipv4Addr>() {
        let o = ip.octets();
        return ip.is_loopback()
            || ip.is_private()
            || ip.is_link_local()
            || ip.is_unspecified()
            || ip.is_broadcast()
            || o[0] == 0
            || (o[0] == 100 && (64..128).contains(&o[1]))
            || o[0] >= 224;
    }
    if let Ok(ip) = h.parse::<std::net::Ipv6Addr>() {
        let s = ip.segments();
        return ip.is_loopback()
            || ip.is_unspecified()
            || (s[0] & 0xfe00) == 0xfc00
            || (s[0] & 0xffc0) == 0xfe80;
    }
    false
}

/// The synthetic web described in the module docs.
fn fetch(raw: &str) -> Fetch {
    let url = if raw.starts_with("//") {
        format!("https:{raw}")
    } else {
        raw.to_string()
    };
    let Some((scheme, rest)) = url.split_once("://") else {
        return Fetch::Err(INVALID_URL);
    };
    if !matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https") {
        return Fetch::Err(INVALID_URL);
    }
    let (authority, path) = match rest.find(['/', '?', '#']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let host = if host_port.starts_with('[') {
        host_port
            .split(']')
            .next()
            .map(|h| format!("{h}]"))
            .unwrap_or_default()
    } else {
        host_port.split(':').next().unwrap_or_default().to_string()
    };
    if host.is_empty() || host.contains(char::is_whitespace) {
        return Fetch::Err(INVALID_URL);
    }
    if private_host(&host) || host.to_ascii_lowercase().ends_with(".invalid") {
        return Fetch::Err(INVALID_URL);
    }
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let segments: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(crate::urlenc::decode_path_segment)
        .collect();
    if segments.iter().any(|s| s == "missing" || s == "404") {
        return Fetch::Err(DOWNLOAD_FAILED);
    }
    if segments.iter().any(|s| s.contains("too-large")) {
        return Fetch::Err(TOO_LARGE);
    }
    let filename = segments.last().cloned().unwrap_or_else(|| "media".into());
    let ext = filename
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    Fetch::Ok {
        bytes: sample_bytes(&ext),
        filename,
    }
}

/// `POST /v2/media` with `url` or `signed_blob_id` (the blob wins), optional `name`.
pub fn create(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let caller = strict(req, "edit_profile")?;
    let active = state
        .data
        .office
        .accounts
        .iter()
        .find(|a| a.seller_id == caller.seller_id)
        .is_none_or(|a| a.account_active);
    if !active {
        return Err(Resp::json(
            403,
            json!({"success": false, "message": "Your account is not active."}),
        ));
    }
    let text = |k: &str| {
        req.params
            .get(k)
            .map(Param::as_text)
            .filter(|s| !s.trim().is_empty())
    };
    let (url, signed_blob_id, name) = (text("url"), text("signed_blob_id"), text("name"));
    if url.is_none() && signed_blob_id.is_none() {
        return Ok(Resp::failure("Please provide a url or signed_blob_id."));
    }
    if alive(state, &caller.seller_id).count() >= MAX_MEDIA_PER_SELLER {
        return Ok(Resp::failure(&format!(
            "You've reached the limit of {MAX_MEDIA_PER_SELLER} uploaded files. Delete some before uploading more."
        )));
    }
    let (filename, declared, bytes, blob_idx) = match &signed_blob_id {
        Some(sid) => {
            // Another seller's blob gets the same answer as a forged id, so probing learns nothing.
            let Some(i) = state.data.office.blobs.iter().position(|b| {
                &b.signed_id == sid && b.seller_id == caller.seller_id && b.attached_to.is_none()
            }) else {
                return Ok(Resp::failure(BLOB_INVALID));
            };
            let b = &state.data.office.blobs[i];
            let Some(bytes) = state
                .objects
                .get(&object_name(&b.key))
                .filter(|_| b.uploaded)
            else {
                return Ok(Resp::failure(DOWNLOAD_FAILED));
            };
            (
                b.filename.clone(),
                b.content_type.clone(),
                bytes.clone(),
                Some(i),
            )
        }
        None => match fetch(url.as_deref().unwrap_or_default()) {
            Fetch::Ok { filename, bytes } => (filename, String::new(), bytes, None),
            Fetch::Err(msg) => return Ok(Resp::failure(msg)),
        },
    };
    let content_type = sniff(&bytes, &filename, &declared);
    if !content_type.starts_with("image/") || content_type == "image/svg+xml" {
        return Ok(Resp::failure("Only image files can be uploaded."));
    }
    if bytes.len() as i64 > MEDIA_MAX_BYTES {
        return Ok(Resp::failure(TOO_LARGE));
    }
    let filename = match filename.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !ext.is_empty() => filename.clone(),
        _ => format!("{filename}.{}", extension_for(&content_type)),
    };
    let (stem, ext) = filename
        .rsplit_once('.')
        .map(|(s, e)| (s.to_string(), e.to_string()))
        .unwrap_or_else(|| (filename.clone(), String::new()));
    let id = random_string(state, LOWER_ALNUM, 16);
    let object = format!("{PUBLIC_BUCKET}/{id}/{filename}");
    if let Err(r) = store_media(state, &object, &bytes) {
        return Ok(r);
    }
    if let Some(i) = blob_idx {
        if let Some(b) = state.data.office.blobs.get_mut(i) {
            b.attached_to = Some(format!("media:{id}"));
        }
    }
    let media = Media {
        id,
        seller_id: caller.seller_id.clone(),
        name: name.unwrap_or(stem),
        extension: ext.to_ascii_uppercase(),
        file_size: Some(bytes.len() as u64),
        url: Some(object_url(&state.host, &object)),
        content_type,
        file_group: "image".into(),
        created_at: now_iso(),
        deleted: false,
    };
    let v = view(&media);
    state.data.office.media.push(media);
    Ok(Resp::success("media", v))
}

fn store_media(state: &mut State, object: &str, bytes: &[u8]) -> Result<(), Resp> {
    if state.object_bytes() + bytes.len() > super::s3::MAX_STORE_BYTES {
        return Err(Resp::failure("The file couldn't be saved."));
    }
    state.objects.insert(object.to_string(), bytes.to_vec());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing_prefers_bytes_then_name_then_declared() {
        assert_eq!(sniff(&sample_bytes("png"), "x.jpg", ""), "image/png");
        assert_eq!(sniff(b"????", "x.gif", "image/png"), "image/gif");
        assert_eq!(sniff(b"????", "x", "image/png"), "image/png");
        assert_eq!(sniff(&sample_bytes("svg"), "logo.png", ""), "image/svg+xml");
        assert_eq!(sniff(b"%PDF-1.4", "a.png", "image/png"), "application/pdf");
    }

    #[test]
    fn private_hosts_are_refused() {
        for h in [
            "localhost",
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "169.254.1.1",
            "[::1]",
            "100.64.0.1",
        ] {
            assert!(private_host(h), "{h}");
        }
        assert!(!private_host("example.com"));
        assert!(!private_host("93.184.216.34"));
    }
}
