//! The fixed ids, keys and scopes of the built-in data, and the seeded random numbers every
//! generated id comes from (the data model and the state below the seed use them too).

/// Deterministic pseudo-random numbers (splitmix64).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    /// A Gumroad-style external id: url-safe base64 of 16 bytes, `==`-padded.
    pub fn external_id(&mut self) -> String {
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&self.next_u64().to_le_bytes());
        bytes[8..].copy_from_slice(&self.next_u64().to_le_bytes());
        let mut s = base64_url(&bytes);
        s.push_str("==");
        s
    }
    /// A license key in Gumroad's format: four 8-hex-digit upper-case blocks.
    pub fn license_key(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        format!(
            "{:08X}-{:08X}-{:08X}-{:08X}",
            a >> 32,
            a & 0xFFFF_FFFF,
            b >> 32,
            b & 0xFFFF_FFFF
        )
    }
}

fn base64_url(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b0 = chunk.first().copied().unwrap_or(0) as u32;
        let b1 = chunk.get(1).copied().unwrap_or(0) as u32;
        let b2 = chunk.get(2).copied().unwrap_or(0) as u32;
        let n = (b0 << 16) | (b1 << 8) | b2;
        let take = chunk.len() + 1;
        for i in 0..take {
            out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

pub const SELLER_A: &str = "kL0paVL2SdmJSYsNs-OCMg==";
pub const SELLER_B: &str = "Qm9vay1Xb3JrLUFkYS0xMg==";
pub const P1_PENCIL: &str = "A-m3CDDC5dlrSdKZp0RFhA==";
pub const P2_CLUB: &str = "32-nPAicqbLj8B_WswVlMw==";
pub const P3_SKETCH: &str = "U2tldGNoUHJvLURlc2t0b3A=";
pub const P4_INKWELL: &str = "SW5rd2VsbC1QbHVnaW4tMjQ=";
pub const P5_DRAFT: &str = "RHJhZnQtQnJ1c2hlcy0yNTA=";
pub const P6_NOTEBOOK: &str = "QWRhcy1Ob3RlYm9vay0yMw==";

/// Labelled license keys of the built-in data (also printed at start-up).
pub const KEYS: &[(&str, &str)] = &[
    ("active", "DEC0DE00-00000000-00000000-00000001"),
    ("refunded", "DEC0DE00-00000000-00000000-00000002"),
    ("chargebacked", "DEC0DE00-00000000-00000000-00000003"),
    ("disputed", "DEC0DE00-00000000-00000000-00000004"),
    ("dispute_won", "DEC0DE00-00000000-00000000-00000005"),
    ("disabled", "DEC0DE00-00000000-00000000-00000006"),
    ("access_revoked", "DEC0DE00-00000000-00000000-00000007"),
    ("multiseat", "DEC0DE00-00000000-00000000-00000008"),
    (
        "subscription_cancelled",
        "DEC0DE00-00000000-00000000-00000009",
    ),
    (
        "subscription_pending_cancellation",
        "DEC0DE00-00000000-00000000-0000000A",
    ),
    ("subscription_ended", "DEC0DE00-00000000-00000000-0000000B"),
    ("subscription_failed", "DEC0DE00-00000000-00000000-0000000C"),
    ("imported_customer", "DEC0DE00-00000000-00000000-0000000D"),
    ("subscription_active", "DEC0DE00-00000000-00000000-0000000E"),
];

pub fn key(label: &str) -> String {
    KEYS.iter()
        .find(|(l, _)| *l == label)
        .map(|(_, k)| k.to_string())
        .unwrap_or_default()
}

/// Every scope a third-party token can hold that some public v2 endpoint accepts (`account`
/// aside: a token with it alone is `demo-token-account`, to exercise the strict checks).
pub const ALL_SCOPES: &[&str] = &[
    "view_public",
    "view_profile",
    "edit_profile",
    "edit_products",
    "edit_emails",
    "view_sales",
    "mark_sales_as_shipped",
    "refund_sales",
    "edit_sales",
    "view_payouts",
    "view_tax_data",
];
