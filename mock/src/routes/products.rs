//! Products: list (slim objects, `page_key`), retrieve, create, update, delete, enable,
//! disable. Create and update validate in Gumroad's order (see the reference §6.3/§6.4).

use serde_json::{json, Value};

use super::paging::{self, key_of, numeric_id};
use super::storefront::{self as sf, sanitize};
use super::{own_product, ApiRequest};
use crate::http::{Param, Resp};
use crate::model::Product;
use crate::model_storefront::{
    ProductFile, ProductRefundPolicy, RichContentPage, FEATURE_CUSTOM_HTML,
};
use crate::render::{self, ProductView};
use crate::state::State;

/// The product at `idx` as the API renders it: `full` for show/create/update/enable/disable,
/// slim for the list.
pub fn view(state: &State, idx: usize, with_sales: bool, full: bool) -> Value {
    let Some(p) = state.data.products.get(idx) else {
        return Value::Null;
    };
    let Some(seller) = state.seller(&p.seller_id) else {
        return Value::Null;
    };
    let custom_fields = state
        .data
        .custom_fields
        .iter()
        .filter(|f| f.product_ids.contains(&p.id) || (f.global && f.seller_id == p.seller_id))
        .collect();
    let categories = state
        .data
        .variant_categories
        .iter()
        .filter(|c| c.product_id == p.id)
        .map(|c| {
            let opts = state
                .data
                .variants
                .iter()
                .filter(|v| v.category_id == c.id)
                .collect();
            (c, opts)
        })
        .collect();
    let sales: Vec<_> = state
        .data
        .sales
        .iter()
        .filter(|s| s.product_id == p.id && !s.refunded && !s.chargebacked)
        .collect();
    let category = p
        .taxonomy_id
        .and_then(|t| state.data.storefront.categories.iter().find(|c| c.id == t))
        .map(render::category)
        .unwrap_or(Value::Null);
    render::product(&ProductView {
        seller,
        product: p,
        custom_fields,
        categories,
        sales_count: sales.len() as u64,
        sales_usd_cents: sales.iter().map(|s| s.price).sum(),
        with_sales,
        full,
        category,
    })
}

/// `view_sales` (or `account`) adds the sales fields.
pub fn with_sales(req: &ApiRequest) -> bool {
    matches!(&req.caller, Ok(Some(c)) if c.has_any(&["view_sales"]))
}

/// `GET /products`: the seller's live products, 10 per page with `page_key`.
pub fn list(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let caller = req.require(&[])?.clone();
    let items: Vec<_> = state
        .data
        .products
        .iter()
        .enumerate()
        .filter(|(_, p)| p.seller_id == caller.seller_id && !p.deleted)
        .map(|(i, p)| (key_of(&p.created_at, numeric_id(&p.id)), i))
        .collect();
    let page = paging::paginate(items, &req.params, 10)?;
    let products: Vec<Value> = page
        .items
        .iter()
        .map(|&i| view(state, i, with_sales(req), false))
        .collect();
    let mut body = json!({"success": true, "products": products});
    if let Some(next) = &page.next {
        body["next_page_key"] = json!(paging::format_key(next));
        body["next_page_url"] = json!(paging::next_url("/products", &req.params, next));
    }
    Ok(Resp::ok(body))
}

pub fn retrieve(state: &mut State, req: &ApiRequest, id: &str) -> Result<Resp, Resp> {
    let caller = req.require(&[])?.clone();
    let idx = own_product(state, &caller, id)?;
    Ok(Resp::success(
        "product",
        view(state, idx, with_sales(req), true),
    ))
}

pub fn delete(state: &mut State, req: &ApiRequest, id: &str) -> Result<Resp, Resp> {
    let caller = req.require(&["edit_products"])?.clone();
    let idx = own_product(state, &caller, id)?;
    state.data.products[idx].deleted = true;
    state.data.products[idx].published = false;
    Ok(Resp::deleted("product"))
}

pub fn set_published(
    state: &mut State,
    req: &ApiRequest,
    id: &str,
    on: bool,
) -> Result<Resp, Resp> {
    let caller = req.require(&["edit_products"])?.clone();
    let idx = own_product(state, &caller, id)?;
    state.data.products[idx].published = on;
    Ok(Resp::success(
        "product",
        view(state, idx, with_sales(req), true),
    ))
}

// ---- shared validation ----------------------------------------------------------------------

/// Product types the API creates (`physical` and the legacy types are refused).
const CREATABLE_TYPES: [&str; 8] = [
    "digital",
    "course",
    "ebook",
    "membership",
    "bundle",
    "commission",
    "call",
    "coffee",
];
const DURATIONS: [&str; 5] = [
    "monthly",
    "yearly",
    "quarterly",
    "biannually",
    "every_two_years",
];
/// From spec 38a67a1 (newer than the controller read, which omits `none`).
const PRODUCT_REFUND_PERIODS: [&str; 6] = ["inherit", "none", "7", "14", "30", "183"];
const OUT_OF_RANGE: &str = "One or more numeric values are out of range.";

fn upload_field_present(p: &Param) -> bool {
    fn json_deep(v: &Value) -> bool {
        match v {
            Value::Object(o) => o.values().any(json_deep),
            Value::Array(a) => a.iter().any(json_deep),
            v => sf::json_present(v),
        }
    }
    match p {
        Param::Str(s) => !s.trim().is_empty(),
        Param::Json(v) => json_deep(v),
    }
}

/// The legacy upload parameters (`file`, `preview`, `thumbnail`) with Gumroad's guidance.
fn reject_upload_fields(req: &ApiRequest, create: bool) -> Result<(), Resp> {
    let Some(field) = ["file", "preview", "thumbnail"]
        .into_iter()
        .find(|k| req.params.get(k).is_some_and(upload_field_present))
    else {
        return Ok(());
    };
    let verb_path = if create {
        "POST /v2/products"
    } else {
        "PUT /v2/products/:id"
    };
    let presign = "Upload files with the presign flow (POST /v2/files/presign, upload parts to the returned S3 URLs, then POST /v2/files/complete), then attach them by including the returned URLs in files[][url].";
    let guidance = match (field, create) {
        ("file", true) => presign.to_string(),
        ("file", false) => format!("{presign} Note: files is a full replacement — to keep an existing file, include an entry with its id; files missing from the array are removed."),
        ("preview", true) => "Covers can only be added after the product is created. Create the product first, then POST to /v2/products/:id/covers with a url or signed_blob_id.".into(),
        ("preview", false) => "Use POST /v2/products/:id/covers with a url or signed_blob_id to add a cover.".into(),
        (_, true) => "Thumbnails can only be set after the product is created. Create the product first, then POST to /v2/products/:id/thumbnail with a signed_blob_id.".into(),
        (_, false) => "Use POST /v2/products/:id/thumbnail with a signed_blob_id to set the thumbnail.".into(),
    };
    Err(Resp::failure(&format!(
        "'{field}' is not an accepted parameter on {verb_path}. {guidance}"
    )))
}

enum Taxonomy {
    Unchanged,
    Set(Option<u64>),
}

/// `resolve_category_param` + `validate_taxonomy_id_param`.
fn resolve_taxonomy(state: &State, req: &ApiRequest) -> Result<Taxonomy, Resp> {
    let is_compound = |p: &Param| matches!(p, Param::Json(Value::Object(_) | Value::Array(_)));
    let taxonomy_param = req.params.get("taxonomy_id");
    let exists = |id: i64| {
        state
            .data
            .storefront
            .categories
            .iter()
            .any(|c| c.id as i64 == id)
    };
    let check_id = |p: &Param, invalid: &str| -> Result<Option<u64>, Resp> {
        if is_compound(p) {
            return Err(Resp::failure("taxonomy_id must be a scalar value."));
        }
        match sf::ar_int(p) {
            Err(()) => Err(Resp::failure(OUT_OF_RANGE)),
            Ok(Some(id)) if exists(id) => Ok(Some(id as u64)),
            Ok(_) => Err(Resp::failure(invalid)),
        }
    };
    if let Some(c) = req.params.get("category") {
        if is_compound(c) {
            return Err(Resp::failure("category must be a scalar value."));
        }
        if sf::present(c) {
            if taxonomy_param.is_some_and(sf::present) {
                return Err(Resp::failure(
                    "Specify either category or taxonomy_id, not both.",
                ));
            }
            let path = c.as_text();
            let Some(cat) = state
                .data
                .storefront
                .categories
                .iter()
                .find(|x| x.path == path)
            else {
                return Err(Resp::failure("Invalid category."));
            };
            return Ok(Taxonomy::Set(Some(cat.id)));
        }
    }
    match taxonomy_param {
        None => Ok(Taxonomy::Unchanged),
        Some(p) if !sf::present(p) => Ok(Taxonomy::Set(None)),
        Some(p) => check_id(p, "Invalid taxonomy_id.").map(Taxonomy::Set),
    }
}

/// Product-level refund policy parameters (create and update).
fn check_refund_policy(
    state: &State,
    req: &ApiRequest,
    seller_id: &str,
    product: Option<&Product>,
) -> Result<(), Resp> {
    let period = req.params.get("refund_period");
    let fine = req.params.get("refund_fine_print");
    if period.is_none() && fine.is_none() {
        return Ok(());
    }
    if sf::profile(state, seller_id).refund_policy.in_effect {
        return Err(Resp::failure("Product-level refund policies are not available for this account; the account-level refund policy applies to all products. Use PUT /v2/refund_policy instead."));
    }
    if let Some(p) = period {
        let value = sf::as_str(p).filter(|v| PRODUCT_REFUND_PERIODS.contains(v));
        let Some(value) = value else {
            return Err(Resp::failure(
                "refund_period must be one of: inherit, none, 7, 14, 30, 183.",
            ));
        };
        if value == "none" && product.map(render::native_type) != Some("physical") {
            return Err(Resp::failure(
                "refund_period \"none\" is only allowed for physical products.",
            ));
        }
        if value == "inherit" && fine.is_some_and(sf::present) {
            return Err(Resp::failure("refund_fine_print cannot be set when refund_period is 'inherit'; the account-level policy's fine print applies."));
        }
    }
    if let Some(f) = fine {
        if !matches!(f, Param::Json(Value::Null)) && sf::as_str(f).is_none() {
            return Err(Resp::failure("refund_fine_print must be a string."));
        }
        let has_policy = product
            .and_then(|p| p.refund_policy.as_ref())
            .is_some_and(|r| r.enabled);
        if period.is_none() && !has_policy {
            return Err(Resp::failure(
                "refund_fine_print requires refund_period, or an existing product-level refund policy.",
            ));
        }
    }
    Ok(())
}

fn apply_refund_policy(p: &mut Product, req: &ApiRequest) {
    let period = req.params.get("refund_period").map(Param::as_text);
    let fine = req.params.get("refund_fine_print");
    if period.is_none() && fine.is_none() {
        return;
    }
    if period.as_deref() == Some("inherit") {
        if let Some(r) = p.refund_policy.as_mut() {
            r.enabled = false;
        }
        return;
    }
    let r = p.refund_policy.get_or_insert(ProductRefundPolicy {
        enabled: true,
        max_refund_period_in_days: 30,
        fine_print: None,
    });
    r.enabled = true;
    if let Some(days) = period.as_deref() {
        r.max_refund_period_in_days = if days == "none" {
            0
        } else {
            days.parse().unwrap_or(30)
        };
    }
    if let Some(f) = fine {
        r.fine_print = Some(f.as_text()).filter(|s| !s.is_empty());
    }
}

fn check_tags(req: &ApiRequest) -> Result<Option<Vec<String>>, Resp> {
    let Some(t) = req.params.get("tags") else {
        return Ok(None);
    };
    let bad = || Resp::failure("tags must be an array of strings.");
    match t {
        Param::Json(Value::Array(a)) => a
            .iter()
            .map(|v| v.as_str().map(|s| s.trim().to_string()).ok_or_else(bad))
            .collect::<Result<Vec<_>, _>>()
            .map(|v| Some(v.into_iter().filter(|s| !s.is_empty()).collect())),
        _ => Err(bad()),
    }
}

/// An incoming rich content page: `id` (kept when it names an existing page), title, nodes.
struct IncomingPage {
    id: Option<String>,
    title: Option<String>,
    nodes: Vec<Value>,
}

fn check_rich_content(req: &ApiRequest) -> Result<Option<Vec<IncomingPage>>, Resp> {
    let Some(p) = req.params.get("rich_content") else {
        return Ok(None);
    };
    let bad = || Resp::failure("rich_content must be an array of content page objects.");
    let Param::Json(Value::Array(pages)) = p else {
        return Err(bad());
    };
    let mut out = vec![];
    for page in pages {
        let Value::Object(page) = page else {
            return Err(bad());
        };
        let desc = page.get("description").unwrap_or(&Value::Null);
        let nodes = if !sf::json_present(desc) {
            vec![]
        } else {
            let nodes = match desc {
                Value::Object(d) => match d.get("content") {
                    Some(c) if sf::json_present(c) && !c.is_array() => {
                        return Err(Resp::failure(
                            "rich_content description content must be an array.",
                        ))
                    }
                    Some(Value::Array(a)) => a.clone(),
                    _ => vec![],
                },
                Value::Array(a) => a.clone(),
                _ => {
                    return Err(Resp::failure(
                        "Each rich_content page description must be a JSON object or array.",
                    ))
                }
            };
            if nodes.iter().any(|n| !n.is_object()) {
                return Err(Resp::failure(
                    "Each rich_content content node must be a JSON object.",
                ));
            }
            nodes
        };
        let text = |k: &str| match page.get(k) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()).filter(|s| !s.trim().is_empty()),
            Some(v) => Some(v.to_string()),
        };
        out.push(IncomingPage {
            id: text("id"),
            title: text("title"),
            nodes,
        });
    }
    Ok(Some(out))
}

/// `files` must be an array of objects.
fn files_param(req: &ApiRequest) -> Result<Option<Vec<serde_json::Map<String, Value>>>, Resp> {
    let Some(p) = req.params.get("files") else {
        return Ok(None);
    };
    let bad = || Resp::failure("files must be an array of file objects.");
    let Param::Json(Value::Array(a)) = p else {
        return Err(bad());
    };
    a.iter()
        .map(|f| f.as_object().cloned().ok_or_else(bad))
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// `validate_file_urls`: every new file needs a `file_url` of the seller's own completed upload.
fn check_new_file_urls(
    state: &State,
    seller_id: &str,
    files: &[&serde_json::Map<String, Value>],
) -> Result<(), Resp> {
    let urls: Vec<Option<&str>> = files
        .iter()
        .map(|f| {
            f.get("url")
                .and_then(Value::as_str)
                .filter(|u| !u.trim().is_empty())
        })
        .collect();
    if urls.iter().any(Option::is_none) {
        return Err(Resp::failure("Each file must include a url string."));
    }
    let own = |u: &str| {
        !u.contains("..")
            && !u.to_ascii_lowercase().contains("%2f")
            && crate::routes::office::uploads::completed_file_url(state, seller_id, u)
    };
    if urls.into_iter().flatten().any(|u| !own(u)) {
        return Err(Resp::failure("File URLs must reference your own uploaded files. Use the presigned upload endpoint to upload files first."));
    }
    Ok(())
}

fn file_group(ext: &str) -> &'static str {
    match ext {
        "pdf" | "epub" | "mobi" | "doc" | "docx" | "txt" | "md" | "rtf" => "document",
        "png" | "jpg" | "jpeg" | "gif" | "webp" | "psd" | "svg" | "tif" | "tiff" => "image",
        "mp3" | "wav" | "flac" | "m4a" | "aac" | "ogg" => "audio",
        "mp4" | "mov" | "m4v" | "webm" | "avi" | "mkv" => "video",
        "zip" | "rar" | "7z" | "gz" | "tar" => "archive",
        _ => "other",
    }
}

/// SaveFilesService: the new file list in the given order (full replacement); existing files
/// keep their id, new ones get one (mapped from their temporary id, if any).
fn build_files(
    state: &mut State,
    existing: &[ProductFile],
    entries: &[serde_json::Map<String, Value>],
) -> (Vec<ProductFile>, serde_json::Map<String, Value>) {
    let mut files = vec![];
    let mut mappings = serde_json::Map::new();
    for (i, e) in entries.iter().enumerate() {
        let text = |k: &str| match e.get(k) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(v) => Some(v.to_string()),
        };
        let id = text("id");
        let position = e
            .get("position")
            .and_then(|v| {
                v.as_u64()
                    .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
            })
            .unwrap_or(i as u64) as u32;
        let stream_only = e
            .get("stream_only")
            .map(|v| sf::ar_bool(&Param::Json(v.clone())).unwrap_or(false));
        let mut f = match id
            .as_deref()
            .and_then(|id| existing.iter().find(|f| f.id == id))
        {
            Some(f) => f.clone(),
            None => {
                let url = text("url").unwrap_or_default();
                let file_name = url
                    .split(['?', '#'])
                    .next()
                    .unwrap_or_default()
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .to_string();
                let new_id = state.new_id();
                if let Some(tmp) = &id {
                    mappings.insert(tmp.clone(), json!(new_id));
                }
                let ext = file_name
                    .rsplit_once('.')
                    .map(|(_, e)| e.to_ascii_lowercase())
                    .unwrap_or_default();
                ProductFile {
                    id: new_id,
                    name: file_name
                        .rsplit_once('.')
                        .map(|(n, _)| n.to_string())
                        .unwrap_or(file_name.clone()),
                    url,
                    size: None,
                    filetype: (!ext.is_empty()).then(|| ext.clone()),
                    filegroup: Some(file_group(&ext).into()),
                    ..ProductFile::default()
                }
            }
        };
        if let Some(n) = text("display_name").filter(|n| !n.trim().is_empty()) {
            f.name = n;
        }
        if let Some(ext) = text("extension").filter(|n| !n.trim().is_empty()) {
            let ext = ext.trim_start_matches('.').to_ascii_lowercase();
            f.filegroup = Some(file_group(&ext).into());
            f.filetype = Some(ext);
        }
        if e.contains_key("description") {
            f.description = text("description");
        }
        if let Some(s) = stream_only {
            f.stream_only = s;
        }
        f.position = position;
        files.push(f);
    }
    (files, mappings)
}

/// The ids of `fileEmbed` nodes, at any depth.
fn embedded_file_ids(nodes: &[Value], out: &mut Vec<String>) {
    for n in nodes {
        if n.get("type").and_then(Value::as_str) == Some("fileEmbed") {
            if let Some(id) = n.pointer("/attrs/id").and_then(Value::as_str) {
                out.push(id.to_string());
            }
        }
        if let Some(Value::Array(children)) = n.get("content") {
            embedded_file_ids(children, out);
        }
    }
}

/// Rewrites `fileEmbed` ids from temporary to real file ids.
fn map_embeds(nodes: &mut [Value], mappings: &serde_json::Map<String, Value>) {
    for n in nodes.iter_mut() {
        if n.get("type").and_then(Value::as_str) == Some("fileEmbed") {
            let real = n
                .pointer("/attrs/id")
                .and_then(Value::as_str)
                .and_then(|id| mappings.get(id))
                .cloned();
            if let (Some(real), Some(attrs)) = (real, n.get_mut("attrs")) {
                attrs["id"] = real;
            }
        }
        if let Some(Value::Array(children)) = n.get_mut("content") {
            map_embeds(children, mappings);
        }
    }
}

/// Product-level pages after a full replacement: pages keep their id when it names an
/// existing page, new pages get one.
fn build_rich_content(
    state: &mut State,
    existing: &[RichContentPage],
    pages: Vec<IncomingPage>,
    mappings: &serde_json::Map<String, Value>,
) -> Vec<RichContentPage> {
    pages
        .into_iter()
        .map(|p| {
            let id = match p.id {
                Some(id) if existing.iter().any(|e| e.id == id) => id,
                _ => state.new_id(),
            };
            let mut content = p.nodes;
            map_embeds(&mut content, mappings);
            RichContentPage {
                id,
                title: p.title,
                content,
            }
        })
        .collect()
}

/// Gumroad's warnings about offer codes that no longer work with the product's price or
/// currency. [unverified] Singular/plural wording beyond the two forms in the reference.
fn offer_code_warning(state: &State, p: &Product) -> Option<String> {
    let codes: Vec<_> = state
        .data
        .offer_codes
        .iter()
        .filter(|o| {
            !o.deleted
                && o.seller_id == p.seller_id
                && (o.product_id.as_deref() == Some(p.id.as_str()) || o.product_id.is_none())
        })
        .collect();
    let mut warnings = vec![];
    let mismatched: Vec<&str> = codes
        .iter()
        .filter(|o| o.percent_off.is_none() && !p.currency.eq_ignore_ascii_case("usd"))
        .map(|o| o.name.as_str())
        .collect();
    if !mismatched.is_empty() {
        warnings.push(if mismatched.len() == 1 {
            format!("The following offer code has currency mismatch with this product: {}. Please update it or it will not work at checkout.", mismatched.join(", "))
        } else {
            format!("The following offer codes have currency mismatch with this product: {}. Please update them or they will not work at checkout.", mismatched.join(", "))
        });
    }
    let below: Vec<&str> = codes
        .iter()
        .filter(|o| {
            let after = match (o.percent_off, o.amount_cents) {
                (Some(pct), _) => p.price.saturating_mul(100u64.saturating_sub(pct)) / 100,
                (None, Some(c)) if p.currency.eq_ignore_ascii_case("usd") => {
                    p.price.saturating_sub(c)
                }
                _ => return false,
            };
            p.price > 0 && after > 0 && after < 99
        })
        .map(|o| o.name.as_str())
        .collect();
    if !below.is_empty() {
        warnings.push(if below.len() == 1 {
            format!("The following offer code discounts this product below $0.99: {}. Please update it or it will not work at checkout.", below.join(", "))
        } else {
            format!("The following offer codes discount this product below $0.99: {}. Please update them or they will not work at checkout.", below.join(", "))
        });
    }
    (!warnings.is_empty()).then(|| warnings.join(" "))
}

const BUY_WARNING: &str = "The custom landing page does not include a buy element, so buyers may not be able to purchase this product. Add an element with data-gumroad-action=\"buy\" or post a gumroad:checkout message.";

/// The buy-affordance warning for a non-empty product landing page.
pub fn buy_warning(html: Option<&str>) -> Option<&'static str> {
    html.filter(|h| !h.trim().is_empty() && sanitize::buy_affordance_missing(h))
        .map(|_| BUY_WARNING)
}

fn currency_param(req: &ApiRequest) -> Option<(String, Option<String>)> {
    req.params.get("price_currency_type").map(|p| {
        let sent = p.as_text();
        let normalized = Some(sent.trim().to_ascii_lowercase()).filter(|c| !c.is_empty());
        (sent, normalized)
    })
}

fn supported_currency(c: &str) -> bool {
    render::CURRENCIES.iter().any(|(x, _, _)| *x == c)
}

/// An integer column from a parameter: `Ok(None)` when absent.
fn int_param(req: &ApiRequest, key: &str) -> Result<Option<Option<i64>>, Resp> {
    match req.params.get(key) {
        None => Ok(None),
        Some(p) => sf::ar_int(p)
            .map(Some)
            .map_err(|()| Resp::failure(OUT_OF_RANGE)),
    }
}

fn unsigned(v: Option<i64>) -> Option<u64> {
    v.filter(|n| *n >= 0).map(|n| n as u64)
}

/// Model validations on save, in Gumroad's sentence form.
fn model_errors(state: &State, p: &Product) -> Option<String> {
    let mut errors = vec![];
    if p.name.trim().is_empty() {
        errors.push("Name can't be blank".to_string());
    }
    if let Some(c) = &p.custom_permalink {
        // [unverified] Link's uniqueness message for custom permalinks.
        let taken = state.data.products.iter().any(|o| {
            o.id != p.id
                && !o.deleted
                && o.seller_id == p.seller_id
                && (o
                    .custom_permalink
                    .as_deref()
                    .is_some_and(|x| x.eq_ignore_ascii_case(c))
                    || o.unique_permalink.eq_ignore_ascii_case(c))
        });
        if taken {
            errors.push("Custom permalink has already been taken".into());
        }
    }
    (!errors.is_empty()).then(|| sf::to_sentence(&errors))
}

// ---- create ---------------------------------------------------------------------------------

/// `POST /products` (2026): creates a draft; publish with `/enable`.
pub fn create(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let caller = req.require(&["edit_products"])?.clone();
    reject_upload_fields(req, true)?;
    let taxonomy = resolve_taxonomy(state, req)?;
    let native_type = req
        .params
        .get("native_type")
        .filter(|p| sf::present(p))
        .map(Param::as_text)
        .unwrap_or_else(|| "digital".into());
    // [unverified] Unknown types fail model validation on Gumroad; the message here is the
    // controller's refusal for unsupported types.
    if !CREATABLE_TYPES.contains(&native_type.as_str()) {
        return Ok(Resp::failure(&format!(
            "The product type '{native_type}' is not supported for creation."
        )));
    }
    let duration = req
        .params
        .get("subscription_duration")
        .filter(|p| sf::present(p))
        .map(Param::as_text);
    if let Some(d) = &duration {
        if !DURATIONS.contains(&d.as_str()) {
            return Ok(Resp::failure(&format!("Invalid subscription duration '{d}'. Valid values: monthly, yearly, quarterly, biannually, every_two_years.")));
        }
        if native_type != "membership" {
            return Ok(Resp::failure(
                "subscription_duration is only valid for membership products.",
            ));
        }
    }
    let seller_currency = state
        .seller(&caller.seller_id)
        .map(|s| s.currency_type.to_ascii_lowercase())
        .unwrap_or_else(|| "usd".into());
    let currency = match currency_param(req) {
        None => seller_currency,
        Some((sent, normalized)) => match normalized.filter(|c| supported_currency(c)) {
            Some(c) => c,
            None => {
                return Ok(Resp::failure(&format!(
                    "'{sent}' is not a supported currency."
                )))
            }
        },
    };
    let tags = check_tags(req)?;
    check_refund_policy(state, req, &caller.seller_id, None)?;
    let rich = check_rich_content(req)?;
    let files = files_param(req)?;
    if let Some(files) = &files {
        let all: Vec<_> = files.iter().collect();
        check_new_file_urls(state, &caller.seller_id, &all)?;
    }
    let price = int_param(req, "price")?;
    let max = int_param(req, "max_purchase_count")?;
    let suggested = int_param(req, "suggested_price_cents")?;
    if price.flatten().is_some_and(|p| p < 0) {
        // [unverified] Link's price validation message.
        return Ok(Resp::failure(
            "Price cents must be greater than or equal to 0",
        ));
    }

    let id = state.new_id();
    let permalink: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(6)
        .collect::<String>()
        .to_lowercase();
    let membership = native_type == "membership";
    let text = |k: &str| req.params.get(k).map(Param::as_text);
    let mut p = Product {
        id: id.clone(),
        seller_id: caller.seller_id.clone(),
        name: text("name").unwrap_or_default(),
        unique_permalink: permalink,
        custom_permalink: text("custom_permalink").filter(|s| !s.is_empty()),
        description: text("description").unwrap_or_default(),
        price: unsigned(price.flatten()).unwrap_or(0),
        currency,
        created_at: crate::state::now_iso(),
        published: false,
        is_tiered_membership: membership,
        subscription_duration: membership.then(|| duration.unwrap_or_else(|| "monthly".into())),
        tags: tags.unwrap_or_default(),
        max_purchase_count: unsigned(max.flatten()),
        custom_summary: text("custom_summary").filter(|s| !s.trim().is_empty()),
        native_type: Some(native_type),
        customizable_price: req.params.get("customizable_price").and_then(sf::ar_bool),
        suggested_price_cents: unsigned(suggested.flatten()),
        display_product_reviews: true,
        // A new product with no taxonomy gets "other".
        taxonomy_id: match taxonomy {
            Taxonomy::Set(Some(t)) => Some(t),
            _ => state
                .data
                .storefront
                .categories
                .iter()
                .find(|c| c.path == "other")
                .map(|c| c.id),
        },
        ..Product::default()
    };
    if let Some(e) = model_errors(state, &p) {
        return Ok(Resp::failure(&e));
    }
    apply_refund_policy(&mut p, req);
    let mut mappings = serde_json::Map::new();
    if let Some(files) = files {
        let (built, m) = build_files(state, &[], &files);
        p.files = built;
        mappings = m;
    }
    if let Some(pages) = rich {
        p.rich_content = build_rich_content(state, &[], pages, &mappings);
    }
    state.data.products.push(p);
    let idx = state.data.products.len() - 1;
    Ok(Resp::success(
        "product",
        view(state, idx, with_sales(req), true),
    ))
}

// ---- update ---------------------------------------------------------------------------------

/// `PUT /products/:id` (2026): partial update; only keys present change.
pub fn update(state: &mut State, req: &ApiRequest, id: &str) -> Result<Resp, Resp> {
    let caller = req.require(&["edit_products"])?.clone();
    reject_upload_fields(req, false)?;
    let taxonomy = resolve_taxonomy(state, req)?;
    let idx = own_product(state, &caller, id)?;
    let current = state.data.products[idx].clone();
    let has = |k: &str| req.params.get(k).is_some();

    if current.is_tiered_membership && has("price") {
        return Ok(Resp::failure("Price cannot be updated for tiered membership products. Use the variant endpoints to manage tier pricing."));
    }
    let currency = match currency_param(req) {
        None => None,
        Some((sent, normalized)) => match normalized.filter(|c| supported_currency(c)) {
            Some(c) => Some(c),
            None => {
                return Ok(Resp::failure(&format!(
                    "'{sent}' is not a supported currency."
                )))
            }
        },
    };
    if currency.as_ref().is_some_and(|c| *c != current.currency) && current.is_tiered_membership {
        return Ok(Resp::failure("Currency cannot be updated for tiered membership products. Use the variant endpoints to manage tier pricing."));
    }
    let profile = sf::profile(state, &caller.seller_id);
    let custom_html = match req.params.get("custom_html") {
        None => None,
        Some(p) => {
            if !profile.has_feature(FEATURE_CUSTOM_HTML) {
                return Ok(Resp::failure(
                    "You do not have access to custom HTML pages.",
                ));
            }
            if !matches!(p, Param::Json(Value::Null)) && sf::as_str(p).is_none() {
                return Ok(Resp::failure("custom_html must be a string."));
            }
            let html = sf::as_str(p).map(String::from);
            if html.as_deref().unwrap_or_default().chars().count() > 500_000 {
                return Ok(Resp::failure(
                    "custom_html is too long (maximum is 500000 characters).",
                ));
            }
            Some(html)
        }
    };
    check_refund_policy(state, req, &caller.seller_id, Some(&current))?;
    let tags = check_tags(req)?;
    let rich = check_rich_content(req)?;
    let files = files_param(req)?;
    if let Some(files) = &files {
        if files.iter().any(|f| f.contains_key("modified")) {
            return Ok(Resp::failure(
                "'modified' is not an accepted parameter on files[]; it is an internal save-path flag.",
            ));
        }
        let mut new_files = vec![];
        for f in files {
            let fid = f
                .get("id")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty());
            let url = f.get("url").filter(|u| sf::json_present(u));
            match fid.and_then(|fid| current.files.iter().find(|e| e.id == fid)) {
                Some(existing) => match url {
                    None if f.keys().any(|k| k != "id") => {
                        return Ok(Resp::failure("Include the canonical url returned by POST /v2/files/complete when updating fields on an existing file; an entry with only id keeps the file unchanged."));
                    }
                    None => {}
                    Some(u) if u.as_str() != Some(existing.url.as_str()) => {
                        return Ok(Resp::failure("File URLs must reference your own uploaded files. Use the presigned upload endpoint to upload files first."));
                    }
                    Some(_) => {}
                },
                None if url.is_none() => {
                    return Ok(Resp::failure("Each files entry must reference an existing file by id or include a url for a new file uploaded via POST /v2/files/complete."));
                }
                None => new_files.push(f),
            }
        }
        check_new_file_urls(state, &caller.seller_id, &new_files)?;
    }
    let cover_ids = match req.params.get("cover_ids") {
        None => None,
        Some(Param::Json(Value::Array(a))) if a.iter().all(Value::is_string) => Some(
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect::<Vec<_>>(),
        ),
        Some(_) => return Ok(Resp::failure("cover_ids must be an array of strings.")),
    };
    let price = int_param(req, "price")?;
    let max = int_param(req, "max_purchase_count")?;
    let suggested = int_param(req, "suggested_price_cents")?;
    if price.flatten().is_some_and(|p| p < 0) {
        return Ok(Resp::failure(
            "Price cents must be greater than or equal to 0",
        ));
    }

    // Everything below applies to a copy, saved only when no check fails (one transaction).
    let mut p = current.clone();
    let text = |k: &str| req.params.get(k).map(Param::as_text);
    if let Some(n) = text("name") {
        p.name = n;
    }
    if has("custom_permalink") {
        p.custom_permalink = text("custom_permalink").filter(|s| !s.is_empty());
    }
    if let Some(c) = currency {
        p.currency = c;
    }
    if let Some(v) = price {
        p.price = unsigned(v).unwrap_or(0);
    }
    if let Some(v) = req.params.get("customizable_price") {
        p.customizable_price = sf::ar_bool(v);
    }
    if let Some(v) = suggested {
        p.suggested_price_cents = unsigned(v);
    }
    if let Some(v) = max {
        p.max_purchase_count = unsigned(v);
    }
    let flag = |k: &str, f: &mut bool| {
        if let Some(v) = req.params.get(k) {
            *f = sf::ar_bool(v).unwrap_or(false);
        }
    };
    flag("quantity_enabled", &mut p.quantity_enabled);
    flag("is_adult", &mut p.is_adult);
    flag("display_product_reviews", &mut p.display_product_reviews);
    flag("should_show_sales_count", &mut p.should_show_sales_count);
    flag(
        "has_same_rich_content_for_all_variants",
        &mut p.has_same_rich_content_for_all_variants,
    );
    if let Taxonomy::Set(t) = taxonomy {
        p.taxonomy_id = t;
    }
    if has("custom_receipt") {
        p.custom_receipt = text("custom_receipt").filter(|s| !s.is_empty());
    }
    if has("description") {
        p.description = text("description").unwrap_or_default();
    }
    if has("custom_summary") {
        p.custom_summary = req
            .params
            .get("custom_summary")
            .filter(|v| !matches!(v, Param::Json(Value::Null)))
            .map(Param::as_text);
    }
    apply_refund_policy(&mut p, req);
    let mut previous_custom_html = None;
    let mut report = None;
    if let Some(html) = &custom_html {
        previous_custom_html = p.custom_html.clone();
        let (page, r) = sanitize::replace_page(html.as_deref());
        p.custom_html = page;
        report = Some(r);
    }
    let flag_changed =
        p.has_same_rich_content_for_all_variants != current.has_same_rich_content_for_all_variants;
    let has_variants =
        state.data.variant_categories.iter().any(|c| {
            c.product_id == p.id && state.data.variants.iter().any(|v| v.category_id == c.id)
        });

    let mut mappings = serde_json::Map::new();
    if let Some(entries) = &files {
        let keep: Vec<&str> = entries
            .iter()
            .filter_map(|f| f.get("id").and_then(Value::as_str))
            .collect();
        let removing: Vec<&str> = current
            .files
            .iter()
            .map(|f| f.id.as_str())
            .filter(|id| !keep.contains(id))
            .collect();
        let mut embeds = vec![];
        match &rich {
            Some(pages) => pages
                .iter()
                .for_each(|pg| embedded_file_ids(&pg.nodes, &mut embeds)),
            None => current
                .rich_content
                .iter()
                .for_each(|pg| embedded_file_ids(&pg.content, &mut embeds)),
        }
        let conflicting: Vec<&str> = removing
            .into_iter()
            .filter(|id| embeds.iter().any(|e| e == id))
            .collect();
        if !conflicting.is_empty() {
            return Ok(Resp::failure(&format!("Cannot remove files still referenced in rich content: {}. Remove the file embeds from rich content first, or send both changes together.", conflicting.join(", "))));
        }
    }
    if let Some(e) = model_errors(state, &p) {
        return Ok(Resp::failure(&e));
    }
    if rich.is_some() && !p.has_same_rich_content_for_all_variants && has_variants {
        return Ok(Resp::failure("Cannot update product-level rich content while in per-variant mode. Set has_same_rich_content_for_all_variants to true first, or use the variant endpoint to update per-variant content."));
    }
    if flag_changed
        && rich.is_none()
        && !p.has_same_rich_content_for_all_variants
        && !p.rich_content.is_empty()
    {
        if !has_variants {
            return Ok(Resp::failure("Cannot switch to per-variant content: the product has no variants to migrate content to."));
        }
        // The pages move to the first variant; per-variant content is not modelled.
        p.rich_content.clear();
    }
    if let Some(entries) = &files {
        let (built, m) = build_files(state, &current.files, entries);
        p.files = built;
        mappings = m;
    }
    if let Some(t) = tags {
        p.tags = t;
    }
    if let Some(order) = cover_ids {
        // Listed covers first, in the given order; the others keep their relative order.
        let mut covers = std::mem::take(&mut p.covers);
        let mut sorted = vec![];
        for id in &order {
            if let Some(i) = covers.iter().position(|c| &c.id == id) {
                sorted.push(covers.remove(i));
            }
        }
        sorted.extend(covers);
        p.covers = sorted;
    }
    if let Some(pages) = rich {
        p.rich_content = build_rich_content(state, &current.rich_content, pages, &mappings);
    }
    state.data.products[idx] = p;

    let mut body = json!({"success": true, "product": view(state, idx, with_sales(req), true)});
    if custom_html.is_some() {
        body["previous_custom_html"] = json!(previous_custom_html);
        body["sanitization_report"] = report.unwrap_or_else(sanitize::empty_report);
    }
    if !mappings.is_empty() {
        body["file_id_mappings"] = Value::Object(mappings);
    }
    let product = &state.data.products[idx];
    let mut warnings: Vec<String> = offer_code_warning(state, product).into_iter().collect();
    if custom_html
        .as_ref()
        .is_some_and(|h| h.as_deref().is_some_and(|h| !h.trim().is_empty()))
    {
        warnings.extend(buy_warning(product.custom_html.as_deref()).map(String::from));
    }
    if !warnings.is_empty() {
        body["warning"] = json!(warnings.join(" "));
    }
    Ok(Resp::ok(body))
}

#[cfg(test)]
mod tests {
    use crate::routes::storefront::testutil::*;
    use crate::seed::{P1_PENCIL, P2_CLUB, P3_SKETCH, P6_NOTEBOOK, SELLER_A};
    use serde_json::{json, Value};

    fn create(s: &mut crate::state::State, body: Value) -> (u16, Value) {
        json(s, "POST", "/products", body, john())
    }

    #[test]
    fn create_defaults_and_full_object() {
        let mut s = state();
        let r = create(
            &mut s,
            json!({"name": "Brushes", "price": 900, "tags": ["brush", "set"], "category": "design/ui-and-web/figma"}),
        );
        assert_ok(&r);
        let p = &r.1["product"];
        assert_eq!(
            (p["published"].as_bool(), p["currency"].as_str()),
            (Some(false), Some("usd"))
        );
        assert_eq!(p["tags"], json!(["brush", "set"]));
        assert_eq!(p["category"]["path"], "design/ui-and-web/figma");
        assert_eq!(p["refund_policy"]["refund_period"], "inherit");
        for k in [
            "landing_url",
            "covers",
            "main_cover_id",
            "bundle_products",
            "rich_content",
            "files",
            "has_same_rich_content_for_all_variants",
            "custom_html",
        ] {
            assert!(p.get(k).is_some(), "{k}");
        }
        // The list serializes the slim object.
        let list = get(&mut s, "/products", john());
        let slim = &list.1["products"][0];
        assert!(
            slim.get("rich_content").is_none()
                && slim.get("files").is_none()
                && slim.get("refund_policy").is_none()
        );
        assert!(slim.get("landing_url").is_some());
        // The seller's currency is the default.
        s.data.sellers[1].currency_type = "eur".into();
        let r = json(&mut s, "POST", "/products", json!({"name": "Notes"}), ada());
        assert_eq!(r.1["product"]["currency"], "eur");
        assert_eq!(r.1["product"]["formatted_price"], "€0");
        let r = create(
            &mut s,
            json!({"name": "Club", "native_type": "membership", "subscription_duration": "yearly", "price": 1200}),
        );
        assert_eq!(
            (
                r.1["product"]["is_tiered_membership"].as_bool(),
                r.1["product"]["formatted_price"].as_str()
            ),
            (Some(true), Some("$12 a year"))
        );
    }

    #[test]
    fn create_validation_messages() {
        let mut s = state();
        let cases = [
            (json!({"name": "x", "native_type": "physical"}), "The product type 'physical' is not supported for creation."),
            (json!({"name": "x", "native_type": "podcast"}), "The product type 'podcast' is not supported for creation."),
            (json!({"name": "x", "subscription_duration": "weekly", "native_type": "membership"}), "Invalid subscription duration 'weekly'. Valid values: monthly, yearly, quarterly, biannually, every_two_years."),
            (json!({"name": "x", "subscription_duration": "monthly"}), "subscription_duration is only valid for membership products."),
            (json!({"name": "x", "price_currency_type": "ZZZ"}), "'ZZZ' is not a supported currency."),
            (json!({"name": "x", "price_currency_type": ""}), "'' is not a supported currency."),
            (json!({"name": "x", "tags": "a,b"}), "tags must be an array of strings."),
            (json!({"name": "x", "tags": ["a", 1]}), "tags must be an array of strings."),
            (json!({"name": "x", "rich_content": {"title": "x"}}), "rich_content must be an array of content page objects."),
            (json!({"name": "x", "rich_content": [{"description": "text"}]}), "Each rich_content page description must be a JSON object or array."),
            (json!({"name": "x", "rich_content": [{"description": {"type": "doc", "content": "x"}}]}), "rich_content description content must be an array."),
            (json!({"name": "x", "rich_content": [{"description": [1]}]}), "Each rich_content content node must be a JSON object."),
            (json!({"name": "x", "files": {"url": "x"}}), "files must be an array of file objects."),
            (json!({"name": "x", "files": [{"display_name": "a"}]}), "Each file must include a url string."),
            (json!({"name": "x", "files": [{"url": "https://evil.example/a.pdf"}]}), "File URLs must reference your own uploaded files. Use the presigned upload endpoint to upload files first."),
            (json!({"name": "x", "category": ["a"]}), "category must be a scalar value."),
            (json!({"name": "x", "category": "design", "taxonomy_id": 30}), "Specify either category or taxonomy_id, not both."),
            (json!({"name": "x", "category": "design/nope"}), "Invalid category."),
            (json!({"name": "x", "taxonomy_id": {"a": 1}}), "taxonomy_id must be a scalar value."),
            (json!({"name": "x", "taxonomy_id": 999}), "Invalid taxonomy_id."),
            (json!({"name": "x", "price": 99999999999u64}), "One or more numeric values are out of range."),
            (json!({"name": "x", "refund_period": "7"}), "Product-level refund policies are not available for this account; the account-level refund policy applies to all products. Use PUT /v2/refund_policy instead."),
            (json!({"name": "x", "file": "data"}), "'file' is not an accepted parameter on POST /v2/products. Upload files with the presign flow (POST /v2/files/presign, upload parts to the returned S3 URLs, then POST /v2/files/complete), then attach them by including the returned URLs in files[][url]."),
            (json!({"name": "x", "preview": {"a": "b"}}), "'preview' is not an accepted parameter on POST /v2/products. Covers can only be added after the product is created. Create the product first, then POST to /v2/products/:id/covers with a url or signed_blob_id."),
            (json!({"name": "x", "thumbnail": "t"}), "'thumbnail' is not an accepted parameter on POST /v2/products. Thumbnails can only be set after the product is created. Create the product first, then POST to /v2/products/:id/thumbnail with a signed_blob_id."),
            (json!({"price": 100}), "Name can't be blank"),
        ];
        let before = s.data.products.len();
        for (body, msg) in cases {
            assert_failure(&create(&mut s, body.clone()), msg);
        }
        assert_eq!(
            s.data.products.len(),
            before,
            "nothing is created on failure"
        );
        // An empty legacy field is ignored.
        assert_ok(&create(&mut s, json!({"name": "x", "file": ""})));
        assert_empty_403(&create_as(&mut s, who(SELLER_A, &["view_public"])));
    }

    fn create_as(
        s: &mut crate::state::State,
        c: Result<Option<crate::state::Caller>, ()>,
    ) -> (u16, Value) {
        json(s, "POST", "/products", json!({"name": "x"}), c)
    }

    #[test]
    fn product_refund_policy_on_a_seller_without_account_policy() {
        let mut s = state();
        let r = json(
            &mut s,
            "POST",
            "/products",
            json!({"name": "n", "refund_period": "14", "refund_fine_print": "ask first"}),
            ada(),
        );
        assert_ok(&r);
        assert_eq!(
            r.1["product"]["refund_policy"],
            json!({"refund_period": "14", "title": "14-day money back guarantee", "fine_print": "ask first", "inherited": false})
        );
        let p = P6_NOTEBOOK;
        let path = format!("/products/{p}");
        let cases = [
            (json!({"refund_period": "9"}), "refund_period must be one of: inherit, none, 7, 14, 30, 183."),
            (json!({"refund_period": 7}), "refund_period must be one of: inherit, none, 7, 14, 30, 183."),
            (json!({"refund_period": "none"}), "refund_period \"none\" is only allowed for physical products."),
            (json!({"refund_period": "inherit", "refund_fine_print": "x"}), "refund_fine_print cannot be set when refund_period is 'inherit'; the account-level policy's fine print applies."),
            (json!({"refund_period": "7", "refund_fine_print": 3}), "refund_fine_print must be a string."),
            (json!({"refund_fine_print": "x"}), "refund_fine_print requires refund_period, or an existing product-level refund policy."),
        ];
        for (body, msg) in cases {
            assert_failure(&json(&mut s, "PUT", &path, body, ada()), msg);
        }
        let r = json(&mut s, "PUT", &path, json!({"refund_period": "183"}), ada());
        assert_eq!(
            r.1["product"]["refund_policy"]["title"],
            "6-month money back guarantee"
        );
        let r = json(
            &mut s,
            "PUT",
            &path,
            json!({"refund_fine_print": "now allowed"}),
            ada(),
        );
        assert_eq!(r.1["product"]["refund_policy"]["fine_print"], "now allowed");
        let r = json(
            &mut s,
            "PUT",
            &path,
            json!({"refund_period": "inherit"}),
            ada(),
        );
        assert_eq!(r.1["product"]["refund_policy"]["inherited"], true);
    }

    #[test]
    fn update_fields_and_refusals() {
        let mut s = state();
        let path = format!("/products/{P1_PENCIL}");
        let r = json(
            &mut s,
            "PATCH",
            &path,
            json!({
                "custom_receipt": "Thanks!", "customizable_price": true, "suggested_price_cents": 700,
                "max_purchase_count": 50, "quantity_enabled": "true", "is_adult": false,
                "taxonomy_id": 31, "tags": ["icons"], "custom_summary": "One PSD."
            }),
            john(),
        );
        assert_ok(&r);
        let p = &r.1["product"];
        assert_eq!(
            (
                p["custom_receipt"].as_str(),
                p["customizable_price"].as_bool()
            ),
            (Some("Thanks!"), Some(true))
        );
        assert_eq!(
            (
                p["max_purchase_count"].as_u64(),
                p["category"]["name"].as_str()
            ),
            (Some(50), Some("icons"))
        );
        assert_eq!(p["tags"], json!(["icons"]));
        assert!(s.data.products[0].quantity_enabled);
        assert_eq!(s.data.products[0].suggested_price_cents, Some(700));
        // Offer codes that stop working produce a warning.
        let r = json(&mut s, "PUT", &path, json!({"price": 150}), john());
        assert_eq!(r.1["warning"], "The following offer codes discount this product below $0.99: 1OFF, HALFOFF. Please update them or they will not work at checkout.");
        let club = format!("/products/{P2_CLUB}");
        assert_failure(&json(&mut s, "PUT", &club, json!({"price": 700}), john()), "Price cannot be updated for tiered membership products. Use the variant endpoints to manage tier pricing.");
        assert_failure(&json(&mut s, "PUT", &club, json!({"price_currency_type": "eur"}), john()), "Currency cannot be updated for tiered membership products. Use the variant endpoints to manage tier pricing.");
        assert_failure(
            &json(
                &mut s,
                "PUT",
                &path,
                json!({"price_currency_type": "xyz"}),
                john(),
            ),
            "'xyz' is not a supported currency.",
        );
        assert_failure(
            &json(&mut s, "PUT", &path, json!({"cover_ids": "a"}), john()),
            "cover_ids must be an array of strings.",
        );
        assert_failure(
            &json(&mut s, "PUT", &path, json!({"name": ""}), john()),
            "Name can't be blank",
        );
        assert_failure(&json(&mut s, "PUT", &path, json!({"preview": "x"}), john()), "'preview' is not an accepted parameter on PUT /v2/products/:id. Use POST /v2/products/:id/covers with a url or signed_blob_id to add a cover.");
        assert_failure(&json(&mut s, "PUT", &path, json!({"file": "x"}), john()), "'file' is not an accepted parameter on PUT /v2/products/:id. Upload files with the presign flow (POST /v2/files/presign, upload parts to the returned S3 URLs, then POST /v2/files/complete), then attach them by including the returned URLs in files[][url]. Note: files is a full replacement — to keep an existing file, include an entry with its id; files missing from the array are removed.");
        assert_failure(
            &json(
                &mut s,
                "PUT",
                &path,
                json!({"custom_html": "<p>x</p>", "name": "n"}),
                ada(),
            ),
            "The product was not found.",
        );
        assert_failure(
            &json(
                &mut s,
                "PUT",
                &format!("/products/{P6_NOTEBOOK}"),
                json!({"custom_html": "<p>x</p>"}),
                ada(),
            ),
            "You do not have access to custom HTML pages.",
        );
        assert_failure(
            &json(&mut s, "PUT", &path, json!({"custom_html": ["x"]}), john()),
            "custom_html must be a string.",
        );
        // The currency changes for ordinary products.
        let r = json(
            &mut s,
            "PUT",
            &path,
            json!({"price_currency_type": " EUR "}),
            john(),
        );
        assert_eq!(r.1["product"]["currency"], "eur");
        assert_empty_403(&json(
            &mut s,
            "PUT",
            &path,
            json!({"name": "x"}),
            who(SELLER_A, &["view_sales"]),
        ));
    }

    #[test]
    fn update_custom_html_reports_and_warns() {
        let mut s = state();
        let path = format!("/products/{P3_SKETCH}");
        let r = json(
            &mut s,
            "PUT",
            &path,
            json!({"custom_html": "<h1 onmouseover=\"x\">Sketch</h1>"}),
            john(),
        );
        assert_ok(&r);
        assert_eq!(r.1["product"]["custom_html"], "<h1>Sketch</h1>");
        assert_eq!(r.1["previous_custom_html"], Value::Null);
        assert_eq!(r.1["sanitization_report"]["total_removed"], 1);
        assert!(r.1["warning"].as_str().is_some_and(
            |w| w.starts_with("The custom landing page does not include a buy element")
        ));
        let r = json(
            &mut s,
            "PUT",
            &path,
            json!({"custom_html": "<a data-gumroad-action=\"buy\">Buy</a>"}),
            john(),
        );
        assert!(r.1.get("warning").is_none());
        assert_eq!(r.1["previous_custom_html"], "<h1>Sketch</h1>");
        let r = json(&mut s, "PUT", &path, json!({"name": "Sketch Pro"}), john());
        assert!(r.1.get("sanitization_report").is_none());
    }

    #[test]
    fn files_are_a_full_replacement_and_rich_content_follows_rules() {
        let mut s = state();
        let path = format!("/products/{P3_SKETCH}");
        s.data.products[2].files = vec![crate::model_storefront::ProductFile {
            id: "file-1".into(),
            name: "Installer".into(),
            url: "https://s3.amazonaws.com/b/attachments/x/1/original/installer.dmg".into(),
            size: Some(2_516_582),
            ..Default::default()
        }];
        let r = get(&mut s, &path, john());
        assert_eq!(r.1["product"]["file_info"], json!({"Size": "2.4 MB"}));
        assert!(r.1["product"]["files"][0]["url"]
            .as_str()
            .is_some_and(|u| u.contains("X-Amz-Signature")));
        assert_failure(
            &json(
                &mut s,
                "PUT",
                &path,
                json!({"files": [{"id": "file-1", "modified": true}]}),
                john(),
            ),
            "'modified' is not an accepted parameter on files[]; it is an internal save-path flag.",
        );
        assert_failure(&json(&mut s, "PUT", &path, json!({"files": [{"id": "file-1", "display_name": "New"}]}), john()), "Include the canonical url returned by POST /v2/files/complete when updating fields on an existing file; an entry with only id keeps the file unchanged.");
        assert_failure(&json(&mut s, "PUT", &path, json!({"files": [{"id": "file-1", "url": "https://other/x", "display_name": "New"}]}), john()), "File URLs must reference your own uploaded files. Use the presigned upload endpoint to upload files first.");
        assert_failure(&json(&mut s, "PUT", &path, json!({"files": [{"display_name": "New"}]}), john()), "Each files entry must reference an existing file by id or include a url for a new file uploaded via POST /v2/files/complete.");
        let embed = json!([{"title": "Download", "description": {"type": "doc", "content": [{"type": "fileEmbed", "attrs": {"id": "file-1", "uid": "u", "collapsed": false}}]}}]);
        let r = json(
            &mut s,
            "PUT",
            &path,
            json!({"files": [{"id": "file-1"}], "rich_content": embed}),
            john(),
        );
        assert_ok(&r);
        assert_eq!(
            r.1["product"]["rich_content"][0]["description"]["content"][0]["attrs"]["id"],
            "file-1"
        );
        assert_failure(&json(&mut s, "PUT", &path, json!({"files": []}), john()), "Cannot remove files still referenced in rich content: file-1. Remove the file embeds from rich content first, or send both changes together.");
        let r = json(
            &mut s,
            "PUT",
            &path,
            json!({"files": [], "rich_content": []}),
            john(),
        );
        assert_eq!(
            (
                r.1["product"]["files"].clone(),
                r.1["product"]["rich_content"].clone()
            ),
            (json!([]), json!([]))
        );
        // Pencil has variants: product-level content needs the shared mode.
        let pencil = format!("/products/{P1_PENCIL}");
        let page = json!([{"title": "Read me", "description": [{"type": "paragraph"}]}]);
        assert_failure(&json(&mut s, "PUT", &pencil, json!({"rich_content": page}), john()), "Cannot update product-level rich content while in per-variant mode. Set has_same_rich_content_for_all_variants to true first, or use the variant endpoint to update per-variant content.");
        let r = json(
            &mut s,
            "PUT",
            &pencil,
            json!({"rich_content": page, "has_same_rich_content_for_all_variants": true}),
            john(),
        );
        assert_ok(&r);
        let page_id = r.1["product"]["rich_content"][0]["id"].clone();
        let r = json(
            &mut s,
            "PUT",
            &pencil,
            json!({"rich_content": [{"id": page_id, "title": "Renamed"}]}),
            john(),
        );
        assert_eq!(
            r.1["product"]["rich_content"][0]["id"], page_id,
            "ids of existing pages are kept"
        );
        // Sketch Pro has no variants: it cannot move content to them.
        json(
            &mut s,
            "PUT",
            &path,
            json!({"rich_content": page, "has_same_rich_content_for_all_variants": true}),
            john(),
        );
        assert_failure(&json(&mut s, "PUT", &path, json!({"has_same_rich_content_for_all_variants": false}), john()), "Cannot switch to per-variant content: the product has no variants to migrate content to.");
    }
}
