//! One license's ledger: its activated instances (devices), its revocation, its recent seat
//! changes and an upstream count change whose outcome is not known yet. The Worker keeps one
//! per license in a Durable Object (`LicenseLedger`), which runs one change at a time; this
//! module holds the state and the decisions, free of any runtime.
//!
//! Seats are enforced here, by counting instances, never by Gumroad's global `uses` counter:
//! that counter only ever grows with each activation and cannot tell a re-install from a new
//! device, so judging it locked every device out after one activation too many. The ledger
//! keeps Gumroad's count in step (one increment per instance, one decrement per deactivation)
//! so the seller's dashboard still shows how many devices are active.

use super::json::J;
use super::license::{Reason, Verdict};

/// An activated device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instance {
    /// `inst_` + 16 random bytes, base64url.
    pub id: String,
    pub name: String,
    /// SHA-256 (hex) of the license hash and the device fingerprint; never the fingerprint.
    pub fingerprint: Option<String>,
    /// ISO 8601, UTC.
    pub activated_at: String,
}

impl Instance {
    pub fn public_json(&self) -> J<'_> {
        J::Obj(vec![
            ("id", J::Str(&self.id)),
            ("name", J::Str(&self.name)),
            ("activated_at", J::Str(&self.activated_at)),
        ])
    }

    fn stored_json(&self) -> J<'_> {
        let mut f = vec![
            ("id", J::Str(&self.id)),
            ("name", J::Str(&self.name)),
            ("at", J::Str(&self.activated_at)),
        ];
        if let Some(fp) = &self.fingerprint {
            f.push(("fp", J::Str(fp)));
        }
        J::Obj(f)
    }
}

/// Why the ledger answers invalid without asking Gumroad.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Revocation {
    pub reason: Reason,
    /// Learnt from a ping: holds until a ping restores it. Learnt from Gumroad's own verify
    /// answer: Gumroad is asked again once `recheck_secs` have passed (a seller may re-enable
    /// a key, which sends no ping).
    pub by_ping: bool,
    /// Unix seconds.
    pub at: i64,
}

/// An upstream count change that was sent but not answered (a timeout, a dropped connection,
/// an unreadable answer), and whose effect could not be read back yet. Settled before the
/// ledger changes anything else.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pending {
    /// `increment_uses_count` for `instance`; `before` is the count read just before.
    Increment { before: u64, instance: Instance },
    /// `decrement_uses_count` for the instance `id`.
    Decrement { before: u64, id: String },
}

/// How a count change that got no answer is settled from the count read back afterwards.
/// The ledger assumes it is the only writer of the license's count (apps use the Worker, not
/// Gumroad's verify with `increment_uses_count`); another writer at the same moment could
/// make it misjudge, which the README states.
pub fn applied(pending: &Pending, count_now: u64) -> bool {
    match pending {
        Pending::Increment { before, .. } => count_now > *before,
        Pending::Decrement { before, .. } => count_now < *before,
    }
}

/// Instances one license may hold even when `MAX_USES` is unlimited.
pub const MAX_INSTANCES: u64 = 1000;

/// Seat changes (activations and deactivations) are counted over this window.
pub const CHANGE_WINDOW_SECS: i64 = 3600;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ledger {
    pub instances: Vec<Instance>,
    pub revoked: Option<Revocation>,
    /// Unix seconds of the activations and deactivations asked for in the last hour.
    pub changes: Vec<i64>,
    pub pending: Option<Pending>,
}

impl Ledger {
    /// Counts one activation or deactivation attempt against `limit` per hour. `Err` holds the
    /// seconds until the oldest counted attempt leaves the window (the `Retry-After`).
    pub fn count_change(&mut self, now: i64, limit: u32) -> Result<(), u32> {
        self.changes
            .retain(|t| now - *t < CHANGE_WINDOW_SECS && *t <= now);
        if self.changes.len() >= limit as usize {
            let oldest = self.changes.iter().copied().min().unwrap_or(now);
            let wait = (oldest + CHANGE_WINDOW_SECS - now).clamp(1, CHANGE_WINDOW_SECS);
            return Err(wait as u32);
        }
        self.changes.push(now);
        Ok(())
    }

    pub fn by_fingerprint(&self, fingerprint: &str) -> Option<&Instance> {
        self.instances
            .iter()
            .find(|i| i.fingerprint.as_deref() == Some(fingerprint))
    }

    pub fn position(&self, id: &str) -> Option<usize> {
        self.instances.iter().position(|i| i.id == id)
    }

    /// Whether every seat is taken: `max_uses` instances per seat (`None`: unlimited, yet never
    /// more than `MAX_INSTANCES`, so one license's stored ledger stays small).
    pub fn full(&self, max_uses: Option<u64>, seats: u64) -> bool {
        let n = self.instances.len() as u64;
        n >= MAX_INSTANCES || max_uses.is_some_and(|m| n >= m.saturating_mul(seats.max(1)))
    }

    /// The reason to answer invalid without asking Gumroad, if there is one.
    pub fn standing_revocation(&self, now: i64, recheck_secs: u32) -> Option<Reason> {
        let r = self.revoked?;
        (r.by_ping || now - r.at < i64::from(recheck_secs)).then_some(r.reason)
    }

    /// Records what Gumroad said about the license. Returns whether the ledger changed.
    pub fn note_verdict(&mut self, v: &Verdict, now: i64) -> bool {
        if v.valid {
            // Gumroad says valid: only a revocation that Gumroad itself caused is undone; a
            // ping's revocation stands (Gumroad may still be processing the refund).
            if self.revoked.is_some_and(|r| !r.by_ping) {
                self.revoked = None;
                return true;
            }
            return false;
        }
        // A configuration problem says nothing about the license.
        if v.reason == Reason::ProductIdRequired {
            return false;
        }
        if self.revoked.is_some_and(|r| r.by_ping) {
            return false;
        }
        self.revoked = Some(Revocation {
            reason: v.reason,
            by_ping: false,
            at: now,
        });
        true
    }

    /// Applies a ping. Returns whether the ledger changed.
    pub fn apply_ping(&mut self, effect: super::worker::PingEffect, now: i64) -> bool {
        use super::worker::PingEffect;
        match effect {
            PingEffect::Revoke(reason) => {
                // A refund is final and holds whatever Gumroad says later. A dispute (even one
                // that became a chargeback) may be won and a subscription restarted, and
                // Gumroad retries pings (a `dispute` retried after its `dispute_won` arrives
                // late): those hold for the recheck window, then Gumroad's own answer decides.
                let permanent = reason == Reason::Refunded;
                if self.revoked.is_some_and(|r| r.by_ping) && !permanent {
                    // A later, weaker ping never shortens a refund's revocation.
                    return false;
                }
                self.revoked = Some(Revocation {
                    reason,
                    by_ping: permanent,
                    at: now,
                });
                true
            }
            // Restored: Gumroad decides at the next verify. A refund is not undone by a won
            // dispute or a restarted subscription.
            PingEffect::Restore(reasons) => {
                let lift = self
                    .revoked
                    .is_some_and(|r| !r.by_ping || reasons.contains(&r.reason));
                if lift {
                    self.revoked = None;
                }
                lift
            }
            // Uncertain: what Gumroad said before is asked again; a ping's revocation stands.
            PingEffect::Recheck => {
                let lift = self.revoked.is_some_and(|r| !r.by_ping);
                if lift {
                    self.revoked = None;
                }
                lift
            }
            PingEffect::Ignore => false,
        }
    }

    /// The stored form (JSON text).
    pub fn to_json(&self) -> String {
        let mut fields = vec![
            ("v", J::Num(1.0)),
            (
                "instances",
                J::Arr(self.instances.iter().map(Instance::stored_json).collect()),
            ),
            (
                "changes",
                J::Arr(self.changes.iter().map(|t| J::Num(*t as f64)).collect()),
            ),
        ];
        if let Some(r) = &self.revoked {
            fields.push((
                "revoked",
                J::Obj(vec![
                    ("reason", J::Str(r.reason.as_str())),
                    ("ping", J::Bool(r.by_ping)),
                    ("at", J::Num(r.at as f64)),
                ]),
            ));
        }
        match &self.pending {
            Some(Pending::Increment { before, instance }) => fields.push((
                "pending",
                J::Obj(vec![
                    ("kind", J::Str("increment")),
                    ("before", J::Num(*before as f64)),
                    ("instance", instance.stored_json()),
                ]),
            )),
            Some(Pending::Decrement { before, id }) => fields.push((
                "pending",
                J::Obj(vec![
                    ("kind", J::Str("decrement")),
                    ("before", J::Num(*before as f64)),
                    ("id", J::Str(id)),
                ]),
            )),
            None => {}
        }
        J::Obj(fields).to_json()
    }
}

/// Reads a stored ledger through `get`, an accessor over the parsed JSON (the edge passes one
/// over a JS object; tests one over serde_json). Anything unreadable is an error: a ledger is
/// never silently reset, which would free every seat.
pub trait Stored: Sized {
    fn field(&self, key: &str) -> Option<Self>;
    fn text(&self) -> Option<String>;
    fn number(&self) -> Option<f64>;
    fn boolean(&self) -> Option<bool>;
    fn items(&self) -> Option<Vec<Self>>;
}

fn whole(n: f64) -> Option<i64> {
    (n.fract() == 0.0 && n.abs() < 9.0e15).then_some(n as i64)
}

fn instance_from<S: Stored>(v: &S) -> Option<Instance> {
    Some(Instance {
        id: v.field("id")?.text()?,
        name: v.field("name")?.text()?,
        fingerprint: match v.field("fp") {
            Some(f) => Some(f.text()?),
            None => None,
        },
        activated_at: v.field("at")?.text()?,
    })
}

pub fn ledger_from<S: Stored>(v: &S) -> Option<Ledger> {
    let instances = v
        .field("instances")?
        .items()?
        .iter()
        .map(instance_from)
        .collect::<Option<Vec<_>>>()?;
    let changes = v
        .field("changes")?
        .items()?
        .iter()
        .map(|t| t.number().and_then(whole))
        .collect::<Option<Vec<_>>>()?;
    let revoked = match v.field("revoked") {
        None => None,
        Some(r) => Some(Revocation {
            reason: Reason::from_name(&r.field("reason")?.text()?)?,
            by_ping: r.field("ping")?.boolean()?,
            at: whole(r.field("at")?.number()?)?,
        }),
    };
    let pending = match v.field("pending") {
        None => None,
        Some(p) => {
            let before = whole(p.field("before")?.number()?)?.max(0) as u64;
            match p.field("kind")?.text()?.as_str() {
                "increment" => Some(Pending::Increment {
                    before,
                    instance: instance_from(&p.field("instance")?)?,
                }),
                "decrement" => Some(Pending::Decrement {
                    before,
                    id: p.field("id")?.text()?,
                }),
                _ => return None,
            }
        }
    };
    Some(Ledger {
        instances,
        revoked,
        changes,
        pending,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::worker::PingEffect;

    impl Stored for serde_json::Value {
        fn field(&self, key: &str) -> Option<Self> {
            self.get(key).filter(|v| !v.is_null()).cloned()
        }
        fn text(&self) -> Option<String> {
            self.as_str().map(String::from)
        }
        fn number(&self) -> Option<f64> {
            self.as_f64()
        }
        fn boolean(&self) -> Option<bool> {
            self.as_bool()
        }
        fn items(&self) -> Option<Vec<Self>> {
            self.as_array().cloned()
        }
    }

    fn inst(id: &str, fp: Option<&str>) -> Instance {
        Instance {
            id: id.into(),
            name: "laptop \"A\"".into(),
            fingerprint: fp.map(String::from),
            activated_at: "2026-11-27T06:00:00.000Z".into(),
        }
    }

    fn roundtrip(l: &Ledger) -> Ledger {
        let v: serde_json::Value = serde_json::from_str(&l.to_json()).unwrap();
        ledger_from(&v).unwrap()
    }

    #[test]
    fn stored_form_round_trips() {
        let mut l = Ledger::default();
        assert_eq!(roundtrip(&l), l);
        l.instances = vec![inst("inst_a", Some("f1")), inst("inst_b", None)];
        l.changes = vec![100, 200];
        l.revoked = Some(Revocation {
            reason: Reason::Refunded,
            by_ping: true,
            at: 50,
        });
        l.pending = Some(Pending::Increment {
            before: 3,
            instance: inst("inst_c", Some("f2")),
        });
        assert_eq!(roundtrip(&l), l);
        l.pending = Some(Pending::Decrement {
            before: 3,
            id: "inst_a".into(),
        });
        assert_eq!(roundtrip(&l), l);
    }

    #[test]
    fn an_unreadable_ledger_is_an_error_not_an_empty_one() {
        for bad in [
            r#"{}"#,
            r#"{"instances":[{"id":1}],"changes":[]}"#,
            r#"{"instances":[],"changes":[1.5]}"#,
            r#"{"instances":[],"changes":[],"revoked":{"reason":"bogus","ping":true,"at":1}}"#,
            r#"{"instances":[],"changes":[],"pending":{"kind":"x","before":1}}"#,
        ] {
            let v: serde_json::Value = serde_json::from_str(bad).unwrap();
            assert_eq!(ledger_from(&v), None, "{bad}");
        }
    }

    #[test]
    fn seats_are_instances_per_seat() {
        let mut l = Ledger::default();
        assert!(!l.full(Some(2), 1));
        assert!(!l.full(None, 1));
        l.instances = vec![inst("a", None), inst("b", None)];
        assert!(l.full(Some(2), 1));
        assert!(!l.full(Some(2), 2));
        assert!(!l.full(None, 1));
        assert!(l.full(Some(0), 1));
        l.instances = (0..MAX_INSTANCES)
            .map(|i| inst(&i.to_string(), None))
            .collect();
        assert!(l.full(None, 1), "unlimited still stops at MAX_INSTANCES");
    }

    #[test]
    fn changes_are_limited_per_hour_with_the_wait_until_the_oldest_leaves() {
        let mut l = Ledger::default();
        for t in 0..3 {
            assert_eq!(l.count_change(1000 + t * 10, 3), Ok(()));
        }
        assert_eq!(l.count_change(1100, 3), Err(3500));
        // The first one leaves the window an hour after it was made.
        assert_eq!(l.count_change(1000 + 3600, 3), Ok(()));
        assert_eq!(l.changes.len(), 3);
    }

    #[test]
    fn revocations_by_ping_stand_and_by_gumroad_are_rechecked() {
        let mut l = Ledger::default();
        let invalid = Verdict {
            valid: false,
            reason: Reason::Disabled,
            uses: 0,
        };
        let valid = Verdict {
            valid: true,
            reason: Reason::Ok,
            uses: 0,
        };
        assert!(l.note_verdict(&invalid, 100));
        assert_eq!(l.standing_revocation(110, 30), Some(Reason::Disabled));
        assert_eq!(l.standing_revocation(131, 30), None);
        // Gumroad says valid again (a re-enabled key): the revocation goes.
        assert!(l.note_verdict(&valid, 140));
        assert_eq!(l.revoked, None);

        assert!(l.apply_ping(PingEffect::Revoke(Reason::Refunded), 200));
        assert_eq!(l.standing_revocation(999_999, 30), Some(Reason::Refunded));
        // Gumroad still answering valid does not undo a refund ping.
        assert!(!l.note_verdict(&valid, 300));
        assert!(!l.note_verdict(&invalid, 300));
        assert_eq!(l.revoked.map(|r| r.reason), Some(Reason::Refunded));
        // Neither a cancellation, a won dispute nor a later weaker ping undoes a refund.
        assert!(!l.apply_ping(PingEffect::Revoke(Reason::SubscriptionEnded), 399));
        assert_eq!(l.standing_revocation(999_999, 30), Some(Reason::Refunded));
        assert!(!l.apply_ping(PingEffect::Recheck, 400));
        assert!(!l.apply_ping(PingEffect::Restore(&[Reason::Disputed]), 400));
        assert_eq!(l.revoked.map(|r| r.reason), Some(Reason::Refunded));
        // (A fresh ledger for the dispute cases.)
        let mut l = Ledger::default();
        assert!(l.apply_ping(PingEffect::Revoke(Reason::Disputed), 400));
        assert!(l.apply_ping(PingEffect::Restore(&[Reason::Disputed]), 410));
        assert_eq!(l.revoked, None);
        // A dispute holds for the recheck window, then Gumroad decides (a retried `dispute`
        // ping that arrives after its `dispute_won` cannot lock the buyer out for good).
        assert!(l.apply_ping(PingEffect::Revoke(Reason::Disputed), 500));
        assert_eq!(l.standing_revocation(520, 30), Some(Reason::Disputed));
        assert_eq!(l.standing_revocation(531, 30), None);
        assert!(l.note_verdict(&valid, 531));
        assert_eq!(l.revoked, None);
        // A recheck lifts what Gumroad itself said, so the next verify asks again.
        assert!(l.note_verdict(&invalid, 420));
        assert!(l.apply_ping(PingEffect::Recheck, 430));
        assert_eq!(l.revoked, None);
        let pid = Verdict {
            valid: false,
            reason: Reason::ProductIdRequired,
            uses: 0,
        };
        assert!(!l.note_verdict(&pid, 500));
    }

    #[test]
    fn unanswered_changes_settle_from_the_count_read_back() {
        let inc = Pending::Increment {
            before: 4,
            instance: inst("x", None),
        };
        assert!(applied(&inc, 5));
        assert!(!applied(&inc, 4));
        let dec = Pending::Decrement {
            before: 4,
            id: "x".into(),
        };
        assert!(applied(&dec, 3));
        assert!(!applied(&dec, 4));
    }

    #[test]
    fn fingerprints_find_their_instance() {
        let l = Ledger {
            instances: vec![inst("a", Some("f1")), inst("b", None)],
            ..Default::default()
        };
        assert_eq!(l.by_fingerprint("f1").map(|i| i.id.as_str()), Some("a"));
        assert_eq!(l.by_fingerprint("f2"), None);
        assert_eq!(l.position("b"), Some(1));
        assert_eq!(l.position("c"), None);
    }
}
