//! A minimal JSON writer, so the wasm build needs no serde_json for the few bodies it writes.

/// Appends `s` as a JSON string literal.
pub fn push_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // `<` too, so a body can never close a <script> it is inlined into.
            c if (c as u32) < 0x20 || c == '<' || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str("\\u");
                crate::core::text::push_hex(out, c as u32, 4);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A JSON value to write.
#[derive(Clone, Debug, PartialEq)]
pub enum J<'a> {
    Null,
    Bool(bool),
    Num(f64),
    Str(&'a str),
    Arr(Vec<J<'a>>),
    Obj(Vec<(&'a str, J<'a>)>),
    /// Text that is already JSON (a value serialised by `JSON.stringify`).
    Raw(&'a str),
}

impl J<'_> {
    pub fn write(&self, out: &mut String) {
        match self {
            J::Null => out.push_str("null"),
            J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            // Integers only: everything this crate writes is a count or an amount in cents,
            // and leaving float formatting out keeps `core::fmt`'s float code out of the wasm.
            J::Num(n) => match crate::core::endpoints::int_text(*n) {
                Some(t) => out.push_str(&t),
                None => out.push_str("null"),
            },
            J::Str(s) => push_str(out, s),
            J::Raw(s) => out.push_str(s),
            J::Arr(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write(out);
                }
                out.push(']');
            }
            J::Obj(fields) => {
                out.push('{');
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    push_str(out, k);
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }

    pub fn to_json(&self) -> String {
        let mut s = String::new();
        self.write(&mut s);
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_valid_json() {
        let v = J::Obj(vec![
            ("a", J::Str("q\"\\\n\u{1}</script>")),
            ("n", J::Num(3.0)),
            ("f", J::Num(1.5)),
            ("inf", J::Num(f64::INFINITY)),
            ("b", J::Bool(true)),
            ("z", J::Null),
            ("o", J::Obj(vec![])),
        ]);
        let s = v.to_json();
        let parsed: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(parsed["a"], "q\"\\\n\u{1}</script>");
        assert_eq!(parsed["n"], 3);
        assert!(parsed["f"].is_null(), "fractions are not written");
        assert!(parsed["inf"].is_null());
        assert!(!s.contains("</script>"));
    }
}
