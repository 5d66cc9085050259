//! A product's thumbnail and covers (from a `signed_blob_id` or a public URL) and a bundle's
//! contents.

use serde_json::{json, Value};

use super::{as_str, present, public_url};
use crate::http::{Param, Resp};
use crate::model_storefront::{BundleProduct, Cover, Thumbnail};
use crate::render;
use crate::routes::office::uploads::resolve_blob;
use crate::routes::products::{view, with_sales};
use crate::routes::{own_product, ApiRequest};
use crate::state::State;

/// Thumbnails: JPEG, PNG or GIF up to 5 MB (limits from Gumroad's April-2025 model).
const THUMBNAIL_MAX_BYTES: u64 = 5 * 1024 * 1024;
/// [unverified] Gumroad's cap on previews per product and its message.
const MAX_COVERS: usize = 8;

fn edit_products(state: &State, req: &ApiRequest, id: &str) -> Result<(usize, String), Resp> {
    let caller = req.require(&["edit_products"])?;
    let idx = own_product(state, caller, id)?;
    Ok((idx, caller.seller_id.clone()))
}

/// A parameter's non-blank string value.
fn given(req: &ApiRequest, key: &str) -> Option<String> {
    req.params
        .get(key)
        .filter(|p| present(p))
        .map(Param::as_text)
}

pub fn add_thumbnail(state: &mut State, req: &ApiRequest, id: &str) -> Result<Resp, Resp> {
    let (idx, seller_id) = edit_products(state, req, id)?;
    let url = if let Some(blob_id) = given(req, "signed_blob_id") {
        let Some(blob) = resolve_blob(state, &seller_id, &blob_id) else {
            return Ok(Resp::failure("The signed_blob_id is invalid or expired."));
        };
        let ct = blob.content_type.to_ascii_lowercase();
        if !matches!(
            ct.as_str(),
            "image/jpeg" | "image/jpg" | "image/png" | "image/gif"
        ) {
            return Ok(Resp::failure(
                "Could not process your thumbnail, please try again.",
            ));
        }
        if blob.byte_size > THUMBNAIL_MAX_BYTES {
            return Ok(Resp::failure("Could not process your thumbnail, please upload an image with size smaller than 5 MB."));
        }
        blob.url
    } else if let Some(url) = given(req, "url") {
        // Gumroad's SSRF filter answers a bad or private URL with a 400 (not the usual 200).
        if !public_url(&url) {
            return Ok(Resp::json(
                400,
                json!({"success": false, "message": "Please provide a valid public image URL."}),
            ));
        }
        url
    } else {
        return Ok(Resp::failure("Please provide a signed_blob_id or url."));
    };
    // The product's thumbnail record is reused (and revived), so its guid stays.
    let guid = match &state.data.products[idx].thumbnail {
        Some(t) => t.guid.clone(),
        None => guid(state),
    };
    let t = Thumbnail { guid, url };
    let body = json!({"url": t.url, "guid": t.guid});
    state.data.products[idx].thumbnail = Some(t);
    Ok(Resp::success("thumbnail", body))
}

pub fn delete_thumbnail(state: &mut State, req: &ApiRequest, id: &str) -> Result<Resp, Resp> {
    let (idx, _) = edit_products(state, req, id)?;
    if state.data.products[idx].thumbnail.take().is_none() {
        return Ok(Resp::failure("The thumbnail was not found."));
    }
    Ok(Resp::success("thumbnail", Value::Null))
}

/// A 32-hex-digit guid, like Gumroad's asset guids.
fn guid(state: &mut State) -> String {
    state
        .new_id()
        .bytes()
        .map(|b| format!("{:02x}", b))
        .collect::<String>()
        .chars()
        .take(32)
        .collect()
}

fn extension(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let last = path.rsplit('/').next().unwrap_or_default();
    last.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .filter(|e| !e.is_empty() && e.len() <= 5)
}

/// Video hosts Gumroad embeds with oEmbed.
fn embeddable_video(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    [
        "youtube.com/",
        "youtu.be/",
        "vimeo.com/",
        "wistia.com/",
        "loom.com/",
    ]
    .iter()
    .any(|h| lower.contains(h))
}

fn covers_body(state: &State, idx: usize) -> Resp {
    let p = &state.data.products[idx];
    Resp::ok(json!({
        "success": true,
        "covers": render::covers(p),
        "main_cover_id": p.covers.first().map(|c| &c.id),
    }))
}

pub fn add_cover(state: &mut State, req: &ApiRequest, id: &str) -> Result<Resp, Resp> {
    let (idx, seller_id) = edit_products(state, req, id)?;
    let (url, kind, filetype) = if let Some(blob_id) = given(req, "signed_blob_id") {
        let Some(blob) = resolve_blob(state, &seller_id, &blob_id) else {
            return Ok(Resp::failure("The signed_blob_id is invalid or expired."));
        };
        let ct = blob.content_type.to_ascii_lowercase();
        let kind = if ct.starts_with("video/") {
            "video"
        } else {
            "image"
        };
        let filetype = extension(&blob.filename).or_else(|| ct.split('/').nth(1).map(String::from));
        (blob.url, kind, filetype)
    } else if let Some(url) = given(req, "url") {
        // Gumroad fetches the URL server-side; a bad or private one fails to process.
        if !public_url(&url) {
            return Ok(Resp::failure(
                "Could not process your cover, please try again.",
            ));
        }
        let ext = extension(&url);
        let kind = if embeddable_video(&url) {
            "oembed"
        } else if ext
            .as_deref()
            .is_some_and(|e| ["mp4", "mov", "m4v", "webm"].contains(&e))
        {
            "video"
        } else {
            "image"
        };
        (url, kind, ext)
    } else {
        return Ok(Resp::failure("Please provide a signed_blob_id or url."));
    };
    if state.data.products[idx].covers.len() >= MAX_COVERS {
        return Ok(Resp::failure("Sorry, we have a limit of 8 previews. Please delete an existing one before adding another."));
    }
    let id = guid(state);
    state.data.products[idx].covers.push(Cover {
        id,
        url: url.clone(),
        original_url: url.clone(),
        thumbnail: (kind == "image").then(|| url.clone()),
        kind: kind.into(),
        filetype,
        ..Cover::default()
    });
    Ok(covers_body(state, idx))
}

pub fn delete_cover(
    state: &mut State,
    req: &ApiRequest,
    id: &str,
    cover_id: &str,
) -> Result<Resp, Resp> {
    let (idx, _) = edit_products(state, req, id)?;
    let covers = &mut state.data.products[idx].covers;
    let Some(i) = covers.iter().position(|c| c.id == cover_id) else {
        return Ok(Resp::failure("The cover was not found."));
    };
    covers.remove(i);
    Ok(covers_body(state, idx))
}

/// A strict integer (JSON integer or a string of digits with an optional sign).
fn integer(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => {
            let t = s.trim();
            let digits = t.strip_prefix('-').unwrap_or(t);
            (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
                .then(|| t.parse().ok())
                .flatten()
        }
        _ => None,
    }
}

/// `PUT /products/:id/bundle_contents`: replaces the bundle's products (all or nothing).
pub fn bundle_contents(state: &mut State, req: &ApiRequest, id: &str) -> Result<Resp, Resp> {
    let (idx, seller_id) = edit_products(state, req, id)?;
    let bundle = state.data.products[idx].clone();
    if render::native_type(&bundle) != "bundle" {
        return Ok(Resp::failure("This product is not a bundle."));
    }
    let entries = match req.params.get("products") {
        Some(Param::Json(Value::Array(a))) if a.iter().all(Value::is_object) => a.clone(),
        _ => return Ok(Resp::failure("Products must be an array.")),
    };
    let mut wanted = vec![];
    for (i, e) in entries.iter().enumerate() {
        let quantity = match e.get("quantity") {
            None | Some(Value::Null) => 1,
            Some(q) => match integer(q) {
                Some(n) if n > 0 && n <= u32::MAX as i64 => n as u32,
                _ => return Ok(Resp::failure("Quantity must be an integer greater than 0.")),
            },
        };
        let position = match e.get("position") {
            None | Some(Value::Null) => i as i64,
            Some(p) => match integer(p) {
                Some(n) => n,
                None => return Ok(Resp::failure("Position must be a valid integer.")),
            },
        };
        let text = |k: &str| e.get(k).map(|v| Param::Json(v.clone())).filter(present);
        let product_id = text("product_id").and_then(|p| as_str(&p).map(String::from));
        let variant_id = text("variant_id").map(|v| v.as_text());
        wanted.push((product_id, variant_id, quantity, position));
    }
    let d = &state.data;
    let mut errors: Vec<String> = vec![];
    let mut contents = vec![];
    for (product_id, variant_id, quantity, position) in wanted {
        let Some(p) = product_id
            .as_deref()
            .and_then(|pid| d.products.iter().find(|p| p.id == pid && !p.deleted))
        else {
            return Ok(Resp::failure("One or more products could not be found."));
        };
        let variant_ids: Vec<&str> = d
            .variant_categories
            .iter()
            .filter(|c| c.product_id == p.id)
            .flat_map(|c| d.variants.iter().filter(move |v| v.category_id == c.id))
            .map(|v| v.id.as_str())
            .collect();
        if variant_id
            .as_deref()
            .is_some_and(|v| !variant_ids.contains(&v))
        {
            return Ok(Resp::failure("One or more products could not be found."));
        }
        let mut err = |m: &str| {
            if !errors.iter().any(|e| e == m) {
                errors.push(m.to_string());
            }
        };
        let kind = render::native_type(p);
        if p.seller_id != seller_id {
            err("The product must belong to the bundle's seller");
        } else if kind == "bundle" {
            err("A bundle product cannot be added to a bundle");
        } else if p.is_tiered_membership
            || p.subscription_duration.is_some()
            || kind == "membership"
        {
            err("A subscription product cannot be added to a bundle");
        } else if kind == "call" {
            err("A call product cannot be added to a bundle");
        } else if !variant_ids.is_empty() && variant_id.is_none() {
            err("Bundle product must have variant specified for versioned product");
        }
        contents.push(BundleProduct {
            product_id: p.id.clone(),
            variant_id,
            quantity,
            position,
        });
    }
    if contents.is_empty() && bundle.published {
        errors.push("Bundles must have at least one product".into());
    }
    if !errors.is_empty() {
        return Ok(Resp::failure(&super::to_sentence(&errors)));
    }
    state.data.products[idx].bundle_products = contents;
    Ok(Resp::success(
        "product",
        view(state, idx, with_sales(req), true),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::seed::{P1_PENCIL, P2_CLUB, P3_SKETCH, P6_NOTEBOOK, SELLER_A};
    use serde_json::json;

    #[test]
    fn thumbnail_from_url_and_delete() {
        let mut s = state();
        let path = format!("/products/{P1_PENCIL}/thumbnail");
        let r = form(
            &mut s,
            "POST",
            &path,
            &[("url", "https://images.example.com/pencil.png")],
            john(),
        );
        assert_ok(&r);
        let guid = r.1["thumbnail"]["guid"].clone();
        assert_eq!(guid.as_str().map(str::len), Some(32));
        assert_eq!(
            get(&mut s, &format!("/products/{P1_PENCIL}"), john()).1["product"]["thumbnail_url"],
            "https://images.example.com/pencil.png"
        );
        let r = form(
            &mut s,
            "POST",
            &path,
            &[("url", "https://images.example.com/pencil2.png")],
            john(),
        );
        assert_eq!(
            r.1["thumbnail"]["guid"], guid,
            "the thumbnail record is reused"
        );
        for bad in [
            "ftp://x.example/a.png",
            "http://127.0.0.1/a.png",
            "http://10.0.0.8/a.png",
        ] {
            let r = form(&mut s, "POST", &path, &[("url", bad)], john());
            assert_eq!(
                r,
                (
                    400,
                    json!({"success": false, "message": "Please provide a valid public image URL."})
                ),
                "{bad}"
            );
        }
        assert_failure(
            &form(
                &mut s,
                "POST",
                &path,
                &[("signed_blob_id", "eyJfcmFpbHMi--x")],
                john(),
            ),
            "The signed_blob_id is invalid or expired.",
        );
        assert_failure(
            &form(&mut s, "POST", &path, &[], john()),
            "Please provide a signed_blob_id or url.",
        );
        assert_eq!(
            form(&mut s, "DELETE", &path, &[], john()).1,
            json!({"success": true, "thumbnail": null})
        );
        assert_failure(
            &form(&mut s, "DELETE", &path, &[], john()),
            "The thumbnail was not found.",
        );
        assert_empty_403(&form(
            &mut s,
            "DELETE",
            &path,
            &[],
            who(SELLER_A, &["view_public"]),
        ));
        assert_failure(
            &form(
                &mut s,
                "POST",
                &format!("/products/{P6_NOTEBOOK}/thumbnail"),
                &[("url", "https://a.example/b.png")],
                john(),
            ),
            "The product was not found.",
        );
    }

    #[test]
    fn covers_add_and_delete() {
        let mut s = state();
        let path = format!("/products/{P3_SKETCH}/covers");
        let r = form(
            &mut s,
            "POST",
            &path,
            &[("url", "https://images.example.com/shot.jpg")],
            john(),
        );
        assert_ok(&r);
        let first = r.1["covers"][0].clone();
        assert_eq!(
            (first["type"].as_str(), first["filetype"].as_str()),
            (Some("image"), Some("jpg"))
        );
        assert_eq!(r.1["main_cover_id"], first["id"]);
        let r = form(
            &mut s,
            "POST",
            &path,
            &[("url", "https://www.youtube.com/watch?v=abc")],
            john(),
        );
        assert_eq!(r.1["covers"][1]["type"], "oembed");
        assert_eq!(r.1["main_cover_id"], first["id"]);
        // Reordering through the product update moves the main cover.
        let second = r.1["covers"][1]["id"].clone();
        let u = json(
            &mut s,
            "PUT",
            &format!("/products/{P3_SKETCH}"),
            json!({"cover_ids": [second]}),
            john(),
        );
        assert_eq!(u.1["product"]["main_cover_id"], second);
        assert_failure(
            &form(
                &mut s,
                "POST",
                &path,
                &[("url", "http://localhost/a.png")],
                john(),
            ),
            "Could not process your cover, please try again.",
        );
        assert_failure(
            &form(&mut s, "POST", &path, &[("signed_blob_id", "x")], john()),
            "The signed_blob_id is invalid or expired.",
        );
        assert_failure(
            &form(&mut s, "POST", &path, &[("url", "")], john()),
            "Please provide a signed_blob_id or url.",
        );
        let first_id = first["id"].as_str().unwrap_or_default().to_string();
        let r = form(&mut s, "DELETE", &format!("{path}/{first_id}"), &[], john());
        assert_eq!(
            (
                r.1["covers"].as_array().map(Vec::len),
                r.1["main_cover_id"].clone()
            ),
            (Some(1), second)
        );
        assert_failure(
            &form(&mut s, "DELETE", &format!("{path}/{first_id}"), &[], john()),
            "The cover was not found.",
        );
        for i in 0..7 {
            form(
                &mut s,
                "POST",
                &path,
                &[("url", &format!("https://images.example.com/{i}.png"))],
                john(),
            );
        }
        assert_failure(&form(&mut s, "POST", &path, &[("url", "https://images.example.com/9.png")], john()), "Sorry, we have a limit of 8 previews. Please delete an existing one before adding another.");
    }

    #[test]
    fn bundle_contents_replace_the_list() {
        let mut s = state();
        let r = json(
            &mut s,
            "POST",
            "/products",
            json!({"name": "Everything", "native_type": "bundle"}),
            john(),
        );
        let bundle = r.1["product"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let path = format!("/products/{bundle}/bundle_contents");
        let r = json(
            &mut s,
            "PUT",
            &path,
            json!({"products": [{"product_id": P3_SKETCH, "quantity": 2}, {"product_id": P1_PENCIL, "variant_id": "l5C1XQfr2TG3WXcGY7YrUg==", "position": "5"}]}),
            john(),
        );
        assert_ok(&r);
        assert_eq!(
            r.1["product"]["bundle_products"],
            json!([
                {"product_id": P3_SKETCH, "variant_id": null, "quantity": 2, "position": 0},
                {"product_id": P1_PENCIL, "variant_id": "l5C1XQfr2TG3WXcGY7YrUg==", "quantity": 1, "position": 5},
            ])
        );
        let cases = [
            (
                json!({"products": {"0": {"product_id": P3_SKETCH}}}),
                "Products must be an array.",
            ),
            (
                json!({"products": [{"product_id": P3_SKETCH, "quantity": 0}]}),
                "Quantity must be an integer greater than 0.",
            ),
            (
                json!({"products": [{"product_id": P3_SKETCH, "position": "x"}]}),
                "Position must be a valid integer.",
            ),
            (
                json!({"products": [{"product_id": "nope"}]}),
                "One or more products could not be found.",
            ),
            (
                json!({"products": [{"product_id": P6_NOTEBOOK}]}),
                "The product must belong to the bundle's seller",
            ),
            (
                json!({"products": [{"product_id": P2_CLUB}]}),
                "A subscription product cannot be added to a bundle",
            ),
            (
                json!({"products": [{"product_id": P1_PENCIL}]}),
                "Bundle product must have variant specified for versioned product",
            ),
            (
                json!({"products": [{"product_id": bundle}]}),
                "A bundle product cannot be added to a bundle",
            ),
        ];
        for (body, msg) in cases {
            assert_failure(&json(&mut s, "PUT", &path, body, john()), msg);
        }
        assert_eq!(
            s.data.products.last().map(|p| p.bundle_products.len()),
            Some(2),
            "all or nothing"
        );
        json(
            &mut s,
            "PUT",
            &format!("/products/{bundle}/enable"),
            json!({}),
            john(),
        );
        assert_failure(
            &json(&mut s, "PUT", &path, json!({"products": []}), john()),
            "Bundles must have at least one product",
        );
        assert_failure(
            &json(
                &mut s,
                "PUT",
                &format!("/products/{P3_SKETCH}/bundle_contents"),
                json!({"products": []}),
                john(),
            ),
            "This product is not a bundle.",
        );
        assert_eq!(
            json(&mut s, "PATCH", &path, json!({"products": []}), john()).0,
            404,
            "PUT only"
        );
        assert_empty_403(&json(
            &mut s,
            "PUT",
            &path,
            json!({"products": []}),
            who(SELLER_A, &["view_public"]),
        ));
    }
}
