//! Tax forms and earnings (`view_tax_data`), behind the seller's tax center: John Smith has it,
//! Ada Byron does not (403 JSON). Years run from the account-creation year to the previous
//! calendar year.

use serde_json::{json, Value};

use super::dates;
use crate::http::{Param, Resp};
use crate::routes::ApiRequest;
use crate::state::{Caller, State};

/// Form types the download route knows (Gumroad's full list is unverified).
pub const TAX_FORM_TYPES: [&str; 2] = ["us_1099_k", "us_1099_misc"];

fn gate(state: &State, req: &ApiRequest) -> Result<Caller, Resp> {
    let caller = req.require(&["view_tax_data"])?.clone();
    let enabled = state
        .data
        .office
        .accounts
        .iter()
        .any(|a| a.seller_id == caller.seller_id && a.tax_center_enabled);
    if !enabled {
        return Err(Resp::json(
            403,
            json!({"success": false, "message": "Tax center is not enabled for this account."}),
        ));
    }
    Ok(caller)
}

fn available_years(state: &State, seller_id: &str) -> std::ops::RangeInclusive<i64> {
    let current = dates::year_of(dates::today());
    let first = state
        .data
        .office
        .accounts
        .iter()
        .find(|a| a.seller_id == seller_id)
        .and_then(|a| dates::day_of(&a.created_at))
        .map(dates::year_of)
        .unwrap_or(current);
    first..=current - 1
}

/// Ruby's `Integer(params[:year].to_s, exception: false)` for the decimal spellings.
fn parse_year(text: &str) -> Option<i64> {
    let t = text.trim();
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit() || b == b'_') {
        return None;
    }
    if digits.starts_with('_') || digits.ends_with('_') || digits.contains("__") {
        return None;
    }
    t.replace('_', "").parse().ok()
}

fn year_param(p: Option<&Param>) -> Option<i64> {
    match p? {
        Param::Json(Value::Array(_)) | Param::Json(Value::Object(_)) => None,
        other => parse_year(&other.as_text()),
    }
}

fn not_available(label: &str, year: Option<i64>) -> Resp {
    let suffix = match year {
        Some(y) => format!("for {y}."),
        None => "for the requested year.".into(),
    };
    Resp::json(
        404,
        json!({"success": false, "message": format!("{label} are not available {suffix}")}),
    )
}

fn present(p: Option<&Param>) -> bool {
    match p {
        None => false,
        Some(Param::Json(Value::Array(a))) => !a.is_empty(),
        Some(Param::Json(Value::Object(o))) => !o.is_empty(),
        Some(Param::Json(Value::Null)) => false,
        Some(other) => !other.as_text().trim().is_empty(),
    }
}

/// `GET /v2/tax_forms[?year=]`.
pub fn list(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let caller = gate(state, req)?;
    let mut year_filter = None;
    if present(req.params.get("year")) {
        let year = year_param(req.params.get("year"));
        match year {
            Some(y) if available_years(state, &caller.seller_id).contains(&y) => {
                year_filter = Some(y)
            }
            _ => return Err(not_available("Tax forms", year)),
        }
    }
    let mut forms: Vec<_> = state
        .data
        .office
        .tax_forms
        .iter()
        .filter(|f| f.seller_id == caller.seller_id && year_filter.is_none_or(|y| f.tax_year == y))
        .collect();
    forms.sort_by(|a, b| (a.tax_year, &a.tax_form_type).cmp(&(b.tax_year, &b.tax_form_type)));
    let list: Vec<Value> = forms
        .into_iter()
        .map(|f| json!({"tax_year": f.tax_year, "tax_form_type": f.tax_form_type, "filed_at": f.filed_at}))
        .collect();
    Ok(Resp::success("tax_forms", Value::Array(list)))
}

fn form_not_found() -> Resp {
    Resp::json(
        404,
        json!({"success": false, "message": "Tax form not found."}),
    )
}

/// `GET /v2/tax_forms/:year/:tax_form_type/download`: the PDF as an attachment.
pub fn download(state: &mut State, req: &ApiRequest, year: &str, kind: &str) -> Result<Resp, Resp> {
    let caller = gate(state, req)?;
    let Some(year) =
        parse_year(year).filter(|y| available_years(state, &caller.seller_id).contains(y))
    else {
        return Err(form_not_found());
    };
    if !TAX_FORM_TYPES.contains(&kind) {
        return Err(form_not_found());
    }
    let found = state.data.office.tax_forms.iter().any(|f| {
        f.seller_id == caller.seller_id
            && f.tax_year == year
            && f.tax_form_type == kind
            && f.downloadable
    });
    if !found {
        return Err(form_not_found());
    }
    let label = kind
        .strip_prefix("us_")
        .unwrap_or(kind)
        .replace('_', "-")
        .to_ascii_uppercase();
    let filename = format!("{label}-{year}.pdf");
    let who = state
        .seller(&caller.seller_id)
        .and_then(|s| s.name.clone())
        .unwrap_or_default();
    Ok(Resp {
        status: 200,
        content_type: Some("application/pdf"),
        headers: vec![],
        body: pdf(&format!("Form {label} {year} - {who} (gumroad-mock)")),
    }
    .header(
        "Content-Disposition",
        &format!("attachment; filename=\"{filename}\""),
    ))
}

/// A one-page PDF showing `line`, with a correct cross-reference table.
pub fn pdf(line: &str) -> Vec<u8> {
    let text: String = line
        .chars()
        .filter(|c| c.is_ascii() && !c.is_ascii_control())
        .map(|c| match c {
            '(' | ')' | '\\' => format!("\\{c}"),
            c => c.to_string(),
        })
        .collect();
    let stream = format!("BT /F1 18 Tf 72 720 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".to_string(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = vec![];
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// `GET /v2/earnings?year=`: the seller's sales of that year, fully refunded ones excluded.
pub fn earnings(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let caller = gate(state, req)?;
    let year = year_param(req.params.get("year"));
    let Some(year) = year.filter(|y| available_years(state, &caller.seller_id).contains(y)) else {
        return Err(not_available("Earnings", year));
    };
    let (mut gross, mut fees) = (0u64, 0u64);
    for s in &state.data.sales {
        let own = state
            .data
            .products
            .iter()
            .any(|p| p.id == s.product_id && p.seller_id == caller.seller_id);
        let in_year = dates::day_of(&s.created_at).is_some_and(|d| dates::year_of(d) == year);
        if own && in_year && !s.refunded {
            gross += s.price.saturating_sub(s.amount_refunded_cents);
            fees += s.gumroad_fee;
        }
    }
    let (taxes, affiliate) = (0u64, 0u64);
    Ok(Resp::ok(json!({
        "success": true,
        "year": year,
        "currency": "usd",
        "gross_cents": gross,
        "fees_cents": fees,
        "taxes_cents": taxes,
        "affiliate_credit_cents": affiliate,
        "net_cents": gross.saturating_sub(fees + taxes + affiliate),
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_parse_like_ruby_integer() {
        assert_eq!(parse_year("2025"), Some(2025));
        assert_eq!(parse_year(" 2025 "), Some(2025));
        assert_eq!(parse_year("2_025"), Some(2025));
        assert_eq!(parse_year("2025.0"), None);
        assert_eq!(parse_year("abc"), None);
        assert_eq!(parse_year(""), None);
    }

    #[test]
    fn pdf_has_a_valid_xref() {
        let p = pdf("Form 1099-K 2025 (x)");
        let s = String::from_utf8_lossy(&p);
        assert!(s.starts_with("%PDF-1.4"));
        assert!(s.ends_with("%%EOF\n"));
        let startxref: usize = s
            .rsplit("startxref\n")
            .next()
            .and_then(|t| t.lines().next())
            .and_then(|n| n.parse().ok())
            .unwrap();
        assert!(s[startxref..].starts_with("xref"));
        let obj3 = s.find("3 0 obj").unwrap();
        assert!(s.contains(&format!("{obj3:010} 00000 n")));
    }
}
