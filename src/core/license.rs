//! The license verdict policy, shared by `licenses.check` in the client and the edge worker.
//!
//! Gumroad answers `success:true` for refunded, charged-back, disputed and cancelled purchases:
//! only disabled keys and revoked access fail verification. Deciding whether a license should
//! unlock an app is therefore the client's job, and it is done here, once.

use serde::{Deserialize, Serialize};

use super::error::{Error, ErrorCode};
use super::response::{
    MSG_ACCESS_REVOKED, MSG_LICENSE_DISABLED, MSG_LICENSE_NOT_FOUND, MSG_PRODUCT_ID_REQUIRED,
};

/// The license fields the policy reads (from a verify/enable/... answer).
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
pub struct LicenseFacts {
    #[serde(default)]
    pub uses: u64,
    #[serde(default)]
    pub purchase: Option<PurchaseFacts>,
    /// Keys of customers the seller imported: no purchase record behind them.
    #[serde(default)]
    pub imported_customer: Option<ImportedFacts>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
pub struct PurchaseFacts {
    #[serde(default)]
    pub product_id: Option<String>,
    #[serde(default)]
    pub refunded: Option<bool>,
    #[serde(default)]
    pub chargebacked: Option<bool>,
    #[serde(default)]
    pub disputed: Option<bool>,
    #[serde(default)]
    pub dispute_won: Option<bool>,
    #[serde(default)]
    pub subscription_ended_at: Option<String>,
    #[serde(default)]
    pub subscription_cancelled_at: Option<String>,
    #[serde(default)]
    pub subscription_failed_at: Option<String>,
    #[serde(default)]
    pub quantity: Option<u64>,
    #[serde(default)]
    pub is_multiseat_license: Option<bool>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
pub struct ImportedFacts {
    #[serde(default)]
    pub is_imported_customer: Option<bool>,
}

/// Why a license is or is not valid. The snake_case names are a public contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    Ok,
    NotFound,
    Disabled,
    AccessRevoked,
    Refunded,
    Chargebacked,
    Disputed,
    SubscriptionCancelled,
    SubscriptionEnded,
    SubscriptionFailed,
    TooManyUses,
    ProductIdRequired,
    /// A verify named an instance this license does not have (never activated, or
    /// deactivated).
    UnknownInstance,
    /// A verify named an instance from another device than the one that activated it.
    WrongDevice,
    /// The instance is among the newest beyond the license's limit, after its seats or
    /// `MAX_USES` were lowered: deactivate devices to bring it back.
    OverSeatLimit,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Ok => "ok",
            Reason::NotFound => "not_found",
            Reason::Disabled => "disabled",
            Reason::AccessRevoked => "access_revoked",
            Reason::Refunded => "refunded",
            Reason::Chargebacked => "chargebacked",
            Reason::Disputed => "disputed",
            Reason::SubscriptionCancelled => "subscription_cancelled",
            Reason::SubscriptionEnded => "subscription_ended",
            Reason::SubscriptionFailed => "subscription_failed",
            Reason::TooManyUses => "too_many_uses",
            Reason::ProductIdRequired => "product_id_required",
            Reason::UnknownInstance => "unknown_instance",
            Reason::WrongDevice => "wrong_device",
            Reason::OverSeatLimit => "over_seat_limit",
        }
    }

    pub const ALL: [Reason; 15] = [
        Reason::Ok,
        Reason::NotFound,
        Reason::Disabled,
        Reason::AccessRevoked,
        Reason::Refunded,
        Reason::Chargebacked,
        Reason::Disputed,
        Reason::SubscriptionCancelled,
        Reason::SubscriptionEnded,
        Reason::SubscriptionFailed,
        Reason::TooManyUses,
        Reason::ProductIdRequired,
        Reason::UnknownInstance,
        Reason::WrongDevice,
        Reason::OverSeatLimit,
    ];

    pub fn from_name(name: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.as_str() == name)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Uses allowed per seat; `None` = unlimited.
    pub max_uses: Option<u64>,
    /// Current time (Unix seconds), to tell a cancellation that takes effect at the end of the
    /// paid period from one that already did.
    pub now_unix: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub valid: bool,
    pub reason: Reason,
    pub uses: u64,
}

impl Verdict {
    fn invalid(reason: Reason, uses: u64) -> Self {
        Verdict {
            valid: false,
            reason,
            uses,
        }
    }
}

/// Judges a successful license answer.
pub fn judge(facts: &LicenseFacts, policy: &Policy) -> Verdict {
    let uses = facts.uses;
    let mut seats = 1;
    if let Some(p) = &facts.purchase {
        let yes = |b: Option<bool>| b == Some(true);
        if yes(p.refunded) {
            return Verdict::invalid(Reason::Refunded, uses);
        }
        if yes(p.chargebacked) {
            return Verdict::invalid(Reason::Chargebacked, uses);
        }
        if yes(p.disputed) && !yes(p.dispute_won) {
            return Verdict::invalid(Reason::Disputed, uses);
        }
        if is_set(&p.subscription_ended_at) {
            return Verdict::invalid(Reason::SubscriptionEnded, uses);
        }
        if is_set(&p.subscription_failed_at) {
            return Verdict::invalid(Reason::SubscriptionFailed, uses);
        }
        if let Some(at) = p
            .subscription_cancelled_at
            .as_deref()
            .filter(|s| !s.is_empty())
        {
            // A cancellation dated in the future keeps access until the paid period ends. A
            // date we cannot read counts as already in effect (fail closed).
            let in_future = parse_iso8601(at).is_some_and(|t| t > policy.now_unix);
            if !in_future {
                return Verdict::invalid(Reason::SubscriptionCancelled, uses);
            }
        }
        seats = seats_of(p);
    } else if facts.imported_customer.is_none() {
        return Verdict::invalid(Reason::NotFound, uses);
    }
    if let Some(max) = policy.max_uses {
        if uses > max.saturating_mul(seats) {
            return Verdict::invalid(Reason::TooManyUses, uses);
        }
    }
    Verdict {
        valid: true,
        reason: Reason::Ok,
        uses,
    }
}

/// Maps a failed license call to a verdict when the failure *is* the answer (unknown key,
/// disabled key, revoked access, missing product id). Other errors (network, 429, 5xx, auth)
/// return `None`: the license state is unknown and the caller must not claim it is invalid.
pub fn judge_error(err: &Error) -> Option<Reason> {
    let msg = err.message.as_str();
    match (err.code, err.status) {
        (ErrorCode::NotFound, _) if msg == MSG_LICENSE_DISABLED => Some(Reason::Disabled),
        (ErrorCode::NotFound, _) if msg == MSG_ACCESS_REVOKED => Some(Reason::AccessRevoked),
        (ErrorCode::NotFound, _) if msg == MSG_LICENSE_NOT_FOUND => Some(Reason::NotFound),
        (ErrorCode::NotFound, Some(404)) => Some(Reason::NotFound),
        (ErrorCode::InvalidRequest, Some(500)) if msg.starts_with(MSG_PRODUCT_ID_REQUIRED) => {
            Some(Reason::ProductIdRequired)
        }
        _ => None,
    }
}

/// Seats a purchase holds: its quantity for a multi-seat license, else one.
pub fn seats_of(p: &PurchaseFacts) -> u64 {
    if p.is_multiseat_license == Some(true) {
        p.quantity.unwrap_or(1).max(1)
    } else {
        1
    }
}

/// Seats of a license answer (imported customers and missing purchases hold one).
pub fn seats(facts: &LicenseFacts) -> u64 {
    facts.purchase.as_ref().map(seats_of).unwrap_or(1)
}

/// Until when (Unix seconds) a cancelled subscription is paid for: its cancellation date, when
/// Gumroad dates it after `now` (the buyer keeps access until the period ends).
pub fn paid_through(facts: &LicenseFacts, now: i64) -> Option<i64> {
    let at = facts
        .purchase
        .as_ref()?
        .subscription_cancelled_at
        .as_deref()?;
    parse_iso8601(at).filter(|t| *t > now)
}

fn is_set(v: &Option<String>) -> bool {
    v.as_deref().is_some_and(|s| !s.trim().is_empty())
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)` to Unix seconds.
pub fn parse_iso8601(s: &str) -> Option<i64> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() < 19 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(r)?;
        if !part.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !matches!(b.get(10), Some(b'T') | Some(b' ')) || b.get(13) != Some(&b':') {
        return None;
    }
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut rest = s.get(19..)?;
    if let Some(r) = rest.strip_prefix('.') {
        let digits = r.bytes().take_while(|c| c.is_ascii_digit()).count();
        rest = r.get(digits..)?;
    }
    let offset = match rest {
        "Z" | "z" | "" => 0,
        _ => {
            let sign = match rest.as_bytes().first() {
                Some(b'+') => 1,
                Some(b'-') => -1,
                _ => return None,
            };
            // ISO 8601 offsets: `+hh`, `+hhmm` or `+hh:mm`, hours 0-23 and minutes 0-59
            // (anything else is not a time this parser understands).
            let digits = |r: &str| -> Option<i64> {
                (r.len() == 2 && r.bytes().all(|c| c.is_ascii_digit()))
                    .then(|| r.parse().ok())
                    .flatten()
            };
            let tail = rest.get(1..)?;
            let (hh, mm) = match tail.len() {
                2 => (digits(tail)?, 0),
                4 => (digits(tail.get(0..2)?)?, digits(tail.get(2..4)?)?),
                5 if tail.as_bytes().get(2) == Some(&b':') => {
                    (digits(tail.get(0..2)?)?, digits(tail.get(3..5)?)?)
                }
                _ => return None,
            };
            if hh > 23 || mm > 59 {
                return None;
            }
            sign * (hh * 3600 + mm * 60)
        }
    };
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec - offset)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::test_support::fixture;

    const NOW: i64 = 1_700_000_000; // 2023-11-14

    fn facts(name: &str) -> LicenseFacts {
        serde_json::from_str(&fixture(name)).unwrap()
    }

    fn policy(max: Option<u64>) -> Policy {
        Policy {
            max_uses: max,
            now_unix: NOW,
        }
    }

    #[test]
    fn fixtures_judge_as_expected() {
        let v = judge(&facts("license_verify.json"), &policy(None));
        assert_eq!((v.valid, v.reason, v.uses), (true, Reason::Ok, 3));
        let v = judge(&facts("license_verify_refunded.json"), &policy(None));
        assert_eq!((v.valid, v.reason), (false, Reason::Refunded));
        let v = judge(&facts("license_verify_subscription.json"), &policy(None));
        assert_eq!(v.reason, Reason::Ok);
        let v = judge(
            &facts("license_verify_imported_customer.json"),
            &policy(None),
        );
        assert_eq!((v.valid, v.uses), (true, 1));
    }

    #[test]
    fn uses_limit_counts_seats() {
        assert_eq!(
            judge(&facts("license_verify.json"), &policy(Some(2))).reason,
            Reason::TooManyUses
        );
        assert!(judge(&facts("license_verify.json"), &policy(Some(3))).valid);
        let mut f = facts("license_verify.json");
        let p = f.purchase.as_mut().unwrap();
        p.is_multiseat_license = Some(true);
        p.quantity = Some(2);
        assert!(judge(&f, &policy(Some(2))).valid);
        f.uses = 5;
        assert_eq!(judge(&f, &policy(Some(2))).reason, Reason::TooManyUses);
    }

    #[test]
    fn each_purchase_state_has_its_reason() {
        let base = facts("license_verify_subscription.json");
        let with = |edit: &dyn Fn(&mut PurchaseFacts)| {
            let mut f = base.clone();
            edit(f.purchase.as_mut().unwrap());
            judge(&f, &policy(None)).reason
        };
        assert_eq!(with(&|p| p.chargebacked = Some(true)), Reason::Chargebacked);
        assert_eq!(with(&|p| p.disputed = Some(true)), Reason::Disputed);
        assert_eq!(
            with(&|p| {
                p.disputed = Some(true);
                p.dispute_won = Some(true)
            }),
            Reason::Ok
        );
        assert_eq!(
            with(&|p| p.subscription_ended_at = Some("2023-01-01T00:00:00Z".into())),
            Reason::SubscriptionEnded
        );
        assert_eq!(
            with(&|p| p.subscription_failed_at = Some("2023-01-01T00:00:00Z".into())),
            Reason::SubscriptionFailed
        );
        assert_eq!(
            with(&|p| p.subscription_cancelled_at = Some("2023-01-01T00:00:00Z".into())),
            Reason::SubscriptionCancelled
        );
        // Cancelled at the end of a period that has not ended yet: still valid.
        assert_eq!(
            with(&|p| p.subscription_cancelled_at = Some("2031-01-01T00:00:00Z".into())),
            Reason::Ok
        );
        assert_eq!(
            with(&|p| p.subscription_cancelled_at = Some("garbage".into())),
            Reason::SubscriptionCancelled
        );
    }

    #[test]
    fn error_answers_map_to_reasons() {
        let nf = |msg: &str, status| {
            Error::new(ErrorCode::NotFound, msg.to_string()).with_status(status)
        };
        assert_eq!(
            judge_error(&nf(MSG_LICENSE_NOT_FOUND, 404)),
            Some(Reason::NotFound)
        );
        assert_eq!(
            judge_error(&nf(MSG_LICENSE_DISABLED, 404)),
            Some(Reason::Disabled)
        );
        assert_eq!(
            judge_error(&nf(MSG_ACCESS_REVOKED, 404)),
            Some(Reason::AccessRevoked)
        );
        let pid = Error::new(
            ErrorCode::InvalidRequest,
            format!("{MSG_PRODUCT_ID_REQUIRED} to verify the license for this product."),
        )
        .with_status(500);
        assert_eq!(judge_error(&pid), Some(Reason::ProductIdRequired));
        let outage = Error::new(ErrorCode::Api, "x").with_status(503);
        assert_eq!(judge_error(&outage), None);
        let auth = Error::new(ErrorCode::Authentication, "x").with_status(401);
        assert_eq!(judge_error(&auth), None);
    }

    #[test]
    fn iso8601() {
        assert_eq!(parse_iso8601("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_iso8601("2023-11-14T22:13:20Z"), Some(NOW));
        assert_eq!(parse_iso8601("2023-11-14T23:13:20.123+01:00"), Some(NOW));
        assert_eq!(parse_iso8601("2023-11-14T14:13:20-08:00"), Some(NOW));
        // An offset without minutes, or without the colon (the minutes were once read from the
        // last two characters, so `+05` counted as +05:05).
        assert_eq!(parse_iso8601("2023-11-15T03:13:20+05"), Some(NOW));
        assert_eq!(parse_iso8601("2023-11-15T03:43:20+0530"), Some(NOW));
        assert_eq!(parse_iso8601("2023-11-15T03:43:20+05:30"), Some(NOW));
        for bad in [
            "",
            "2023-11-14T22:13:20+99:99",
            "2023-11-14T22:13:20+05:3",
            "2023-11-14T22:13:20+5",
            "2023-11-14T22:13:20+05-30",
            "2023-13-01T00:00:00Z",
            "2023-11-14",
            "2023-11-14T22:13:20Q",
            "é",
        ] {
            assert_eq!(parse_iso8601(bad), None, "{bad}");
        }
    }

    #[test]
    fn reason_names_are_the_public_contract() {
        for r in Reason::ALL {
            assert_eq!(serde_json::to_value(r).unwrap(), r.as_str());
            assert_eq!(Reason::from_name(r.as_str()), Some(r));
        }
        assert_eq!(Reason::from_name("nope"), None);
    }
}
