//! ActiveSupport's inflections the mock needs (slugs of seeded and created records).

/// Rails' `String#parameterize`: ASCII transliteration, lower case, runs of anything but
/// letters, digits, `-` and `_` become one `-`, no leading or trailing `-`.
pub fn parameterize(s: &str) -> String {
    let mut out = String::new();
    let mut sep = false;
    for c in s.chars() {
        let mapped: Option<&str> = match c {
            'à'..='å' | 'À'..='Å' => Some("a"),
            'æ' | 'Æ' => Some("ae"),
            'ç' | 'Ç' => Some("c"),
            'è'..='ë' | 'È'..='Ë' => Some("e"),
            'ì'..='ï' | 'Ì'..='Ï' => Some("i"),
            'ñ' | 'Ñ' => Some("n"),
            'ò'..='ö' | 'ø' | 'Ò'..='Ö' | 'Ø' => Some("o"),
            'ù'..='ü' | 'Ù'..='Ü' => Some("u"),
            'ý' | 'ÿ' | 'Ý' => Some("y"),
            'ß' => Some("ss"),
            _ => None,
        };
        let piece = match mapped {
            Some(m) => m.to_string(),
            None if c.is_ascii_alphanumeric() || c == '-' || c == '_' => {
                c.to_ascii_lowercase().to_string()
            }
            None => String::new(),
        };
        if piece.is_empty() || piece == "-" {
            sep = true;
            continue;
        }
        if sep && !out.is_empty() {
            out.push('-');
        }
        sep = false;
        out.push_str(&piece);
    }
    out
}
