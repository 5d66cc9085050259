//! Messages and numbers put together without `core::fmt`: every `format!` call site costs the
//! wasm its argument tables and pulls in the formatter, and integer `Display` its padding code.
//! Both builds build their strings with these instead (a size test watches the result).

/// The pieces, joined.
pub fn cat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
    out
}

/// Decimal text of `n`.
pub fn uint(n: u64) -> String {
    let mut out = String::with_capacity(20);
    push_uint(&mut out, n);
    out
}

/// Appends the decimal text of `n`.
pub fn push_uint(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        if let Some(d) = digits.get_mut(i) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || i == 0 {
            break;
        }
    }
    for d in digits.iter().skip(i) {
        out.push(char::from(*d));
    }
}

/// Lower-case hex of `n`, at least `width` digits.
pub fn push_hex(out: &mut String, n: u32, width: usize) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut started = false;
    for shift in (0..8).rev() {
        let nibble = (n >> (shift * 4)) & 0xf;
        if nibble != 0 || started || shift < width {
            started = true;
            if let Some(&h) = HEX.get(nibble as usize) {
                out.push(char::from(h));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_match_display() {
        for n in [0u64, 7, 10, 99, 100, 65_535, 4_294_967_295, u64::MAX] {
            assert_eq!(uint(n), n.to_string());
        }
        for n in [0u32, 1, 0x1f, 0x2028, 0xabcde] {
            let mut s = String::new();
            push_hex(&mut s, n, 4);
            assert_eq!(s, format!("{n:04x}"));
        }
    }

    #[test]
    fn cat_joins() {
        assert_eq!(cat(&["a", "", "bc"]), "abc");
        assert_eq!(cat(&[]), "");
    }
}
