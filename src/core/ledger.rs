//! One license's ledger: its activated instances (devices), the seats it freed while their
//! signed tokens may still verify offline, its revocation, its recent seat changes and an
//! upstream count change whose outcome is not known yet. The Worker keeps one per license in a
//! Durable Object (`LicenseLedger`), which runs one change at a time; this module holds the state
//! and the decisions, free of any runtime.
//!
//! Seats are enforced here, by counting instances, never by Gumroad's global `uses` counter:
//! that counter only ever grows with each activation and cannot tell a re-install from a new
//! device, so judging it locked every device out after one activation too many. The ledger
//! keeps Gumroad's count in step (one increment per instance, one decrement per deactivation)
//! so the seller's dashboard still shows how many devices are active.
//!
//! A seat is one device online and offline. A token signed for an instance keeps verifying
//! offline until its `exp`, whatever happens to the instance, so a deactivated instance whose
//! tokens may still verify is not a free seat: it becomes a `Freed` entry that keeps counting
//! against the limit until its last token expires. One exception keeps moving to a new computer
//! painless: one such seat at a time may be taken again at once (the "move"); the next move is
//! possible only when the moved-from device's tokens have expired. So the devices that hold a
//! token that still verifies offline never number more than the limit plus one.

use super::json::J;
use super::license::{Reason, Verdict};

/// An activated device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instance {
    /// `inst_` + 16 random bytes, base64url.
    pub id: String,
    pub name: String,
    /// The device's hash (`device_hash` in the Worker: base64url SHA-256 of the key's hash and
    /// the fingerprint); never the fingerprint. `None` only for instances no device can prove.
    pub device: Option<String>,
    /// ISO 8601, UTC.
    pub activated_at: String,
    /// Unix seconds: the latest `exp` of a token the ledger's answers allowed for this instance
    /// (0: none was). A deactivation keeps the seat counted until then.
    pub tokens_until: i64,
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
        if let Some(d) = &self.device {
            f.push(("dev", J::Str(d)));
        }
        if self.tokens_until != 0 {
            f.push(("until", J::Num(self.tokens_until as f64)));
        }
        J::Obj(f)
    }
}

/// A seat freed by a deactivation while tokens signed for it may still verify offline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Freed {
    /// The instance it was (the seller's admin route can drop the entry by this id).
    pub id: String,
    pub device: Option<String>,
    /// Unix seconds: its last token's `exp`; from then on the entry is gone.
    pub until: i64,
    /// Taken again at once by the move: it no longer counts against the limit, and while it
    /// lives no other move is allowed.
    pub moved: bool,
}

/// Why the ledger answers invalid without asking Gumroad.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Revocation {
    pub reason: Reason,
    /// Gumroad's own answer said refunded or charged back: it holds until Gumroad confirms a
    /// restoring ping, or the seller lifts it (`POST /v1/admin/licenses/unrevoke`). Anything
    /// else (a ping's hint, any other invalid answer) holds for the recheck window only, then
    /// Gumroad is asked again.
    pub lasting: bool,
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
    /// `decrement_uses_count` for the instance `id`; `cool`: the seat is freed with its
    /// tokens' cool-down (a buyer's deactivation) or at once (the seller's).
    Decrement { before: u64, id: String, cool: bool },
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

/// Instances one license may hold even when `MAX_USES` is unlimited (and freed seats besides:
/// they are bounded by the limit too, so a stored ledger stays far below the storage limits).
pub const MAX_INSTANCES: u64 = 1000;

/// Seat changes (activations and deactivations) are counted over this window.
pub const CHANGE_WINDOW_SECS: i64 = 3600;

/// Devices a license may hold: `max_uses` per seat (`None`: unlimited), never more than
/// `MAX_INSTANCES`.
pub fn seat_limit(max_uses: Option<u64>, seats: u64) -> u64 {
    max_uses
        .map_or(MAX_INSTANCES, |m| m.saturating_mul(seats.max(1)))
        .min(MAX_INSTANCES)
}

/// The `exp` of tokens for a verdict obtained at `at`: the grace period, capped by the date a
/// cancelled subscription is paid through (a token never outlives what the buyer paid for), or
/// the end of the revocation window a refusal stands for.
pub fn token_exp(at: i64, grace_secs: u32, paid_through: Option<i64>) -> i64 {
    let exp = at.saturating_add(i64::from(grace_secs));
    match paid_through {
        Some(t) if t > at => exp.min(t),
        _ => exp,
    }
}

/// Sorts a list of at most a thousand or so times: an insertion sort keeps the general
/// sort's several kilobytes of code out of the Worker's wasm.
pub fn sort_small(v: &mut [i64]) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && v.get(j - 1) > v.get(j) {
            v.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// Whether a new device may take a seat, and how.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admission {
    /// This device holds the active instance at this index (a re-install).
    Existing(usize),
    /// A seat is free.
    Free,
    /// Every seat is taken, but the freed seat at this index of `freed` may be taken at once
    /// (the move).
    Move(usize),
    /// No seat: every one is active (`retry_after: None`: deactivate a device first), or held
    /// by tokens of freed seats until `retry_after` seconds from now.
    Full { retry_after: Option<u32> },
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ledger {
    /// In activation order: after a seat downgrade, the newest ones are beyond the limit.
    pub instances: Vec<Instance>,
    pub freed: Vec<Freed>,
    pub revoked: Option<Revocation>,
    /// Unix seconds of the activations and deactivations asked for in the last hour.
    pub changes: Vec<i64>,
    pub pending: Option<Pending>,
    /// Unix seconds of the last revocation a ping set that Gumroad did not confirm: one such
    /// hint per `HINT_INTERVAL_SECS`, so that repeated forged pings cannot keep a license that
    /// Gumroad calls valid revoked window after window.
    pub hint_at: Option<i64>,
}

/// A license gets at most one unconfirmed ping hint in this long.
pub const HINT_INTERVAL_SECS: i64 = 86_400;

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

    pub fn position(&self, id: &str) -> Option<usize> {
        self.instances.iter().position(|i| i.id == id)
    }

    /// Forgets freed seats whose tokens have all expired. Returns whether any went.
    pub fn prune(&mut self, now: i64) -> bool {
        let before = self.freed.len();
        self.freed.retain(|f| f.until > now);
        self.freed.len() != before
    }

    /// Freed seats that still count against the limit (live and not moved).
    pub fn cooling(&self, now: i64) -> impl Iterator<Item = &Freed> {
        self.freed.iter().filter(move |f| f.until > now && !f.moved)
    }

    /// Whether the move is possible: no moved-from device's tokens still verify.
    pub fn move_available(&self, now: i64) -> bool {
        !self.freed.iter().any(|f| f.moved && f.until > now)
    }

    /// Whether an instance at `index` is beyond the limit (the newest ones are, after the
    /// license's seats or `MAX_USES` were lowered).
    pub fn over_limit(index: usize, limit: u64) -> bool {
        index as u64 >= limit
    }

    /// May the device `device` take a seat now, with `limit` devices allowed?
    pub fn admit(&self, device: &str, limit: u64, now: i64) -> Admission {
        if let Some(i) = self
            .instances
            .iter()
            .position(|i| i.device.as_deref() == Some(device))
        {
            return Admission::Existing(i);
        }
        let active = self.instances.len() as u64;
        // A freed seat of this same device holds this device's own tokens: taking a seat again
        // adds no device, so it does not count against the new seat.
        let counted: Vec<(usize, i64)> = self
            .freed
            .iter()
            .enumerate()
            .filter(|(_, f)| f.until > now && !f.moved && f.device.as_deref() != Some(device))
            .map(|(i, f)| (i, f.until))
            .collect();
        let occupied = active + counted.len() as u64;
        if occupied < limit {
            return Admission::Free;
        }
        if occupied == limit && !counted.is_empty() && self.move_available(now) {
            // The seat whose tokens last longest: the others free their seats sooner.
            let latest = counted
                .iter()
                .max_by_key(|(_, until)| *until)
                .map(|(i, _)| *i);
            if let Some(i) = latest {
                return Admission::Move(i);
            }
        }
        if active >= limit {
            return Admission::Full { retry_after: None };
        }
        // Some active seat is free of devices, so waiting helps: a seat is free once `excess + 1`
        // cooling seats have expired, and the move possible once `excess` have (one is left
        // to move) and no moved-from device's tokens verify any more.
        let mut untils: Vec<i64> = counted.iter().map(|(_, until)| *until).collect();
        sort_small(&mut untils);
        let excess = (occupied - limit) as usize;
        let until_at = |i: usize| untils.get(i).copied();
        let free_at = until_at(excess);
        let moved_until = self
            .freed
            .iter()
            .filter(|f| f.moved && f.until > now)
            .map(|f| f.until)
            .max()
            .unwrap_or(now);
        let move_at = match excess {
            0 => Some(moved_until),
            n => until_at(n - 1).map(|t| t.max(moved_until)),
        }
        .filter(|_| excess < counted.len());
        let when = match (free_at, move_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Admission::Full {
            retry_after: when.map(|t| (t - now).clamp(1, i64::from(u32::MAX)) as u32),
        }
    }

    /// Adds an instance that now holds a seat. A freed seat of the same device goes: its
    /// tokens are this device's, which the new instance counts from now on, so the instance
    /// inherits their expiry (a later deactivation cools until the latest of them, even when the
    /// new instance got no token, or a shorter one).
    pub fn take_seat(&mut self, mut instance: Instance) {
        if let Some(d) = instance.device.as_deref() {
            let absorbed = self
                .freed
                .iter()
                .filter(|f| f.device.as_deref() == Some(d))
                .map(|f| f.until)
                .max();
            if let Some(until) = absorbed {
                instance.tokens_until = instance.tokens_until.max(until);
            }
            self.freed.retain(|f| f.device.as_deref() != Some(d));
        }
        self.instances.push(instance);
    }

    /// Removes the instance `id`. With `cool` (a buyer's deactivation), a seat whose tokens
    /// still verify at `now` keeps counting until they expire; without (the seller's), it is
    /// free at once.
    pub fn free_seat(&mut self, id: &str, now: i64, cool: bool) -> Option<Instance> {
        let at = self.position(id)?;
        let gone = self.instances.remove(at);
        if cool && gone.tokens_until > now {
            self.freed.push(Freed {
                id: gone.id.clone(),
                device: gone.device.clone(),
                until: gone.tokens_until,
                moved: false,
            });
        }
        Some(gone)
    }

    /// Records that tokens valid until `exp` may be signed for every instance within `limit`
    /// (a verify answer lists them all, and is cached). Returns whether anything changed.
    pub fn note_tokens(&mut self, limit: u64, exp: i64) -> bool {
        let mut changed = false;
        for (i, inst) in self.instances.iter_mut().enumerate() {
            if !Self::over_limit(i, limit) && exp > inst.tokens_until {
                inst.tokens_until = exp;
                changed = true;
            }
        }
        changed
    }

    /// Whether nothing here needs storing: no devices, no cooling seat, nothing pending, no
    /// revocation still standing, no change counted in the last hour. A blank ledger is deleted
    /// rather than written (keys nobody owns leave nothing behind).
    pub fn is_blank(&self, now: i64, recheck_secs: u32) -> bool {
        self.instances.is_empty()
            && self.freed.iter().all(|f| f.until <= now)
            && self.pending.is_none()
            && self.standing_revocation(now, recheck_secs).is_none()
            && self.changes.iter().all(|t| now - *t >= CHANGE_WINDOW_SECS)
            && self.hint_at.is_none_or(|t| now - t >= HINT_INTERVAL_SECS)
    }

    /// The reason to answer invalid without asking Gumroad, if there is one.
    pub fn standing_revocation(&self, now: i64, recheck_secs: u32) -> Option<Reason> {
        let r = self.revoked?;
        (r.lasting || now - r.at < i64::from(recheck_secs)).then_some(r.reason)
    }

    /// Records what Gumroad said about the license. Returns whether the ledger changed.
    pub fn note_verdict(&mut self, v: &Verdict, now: i64) -> bool {
        if v.valid {
            // Gumroad says valid: whatever is not lasting goes (a lasting revocation only goes
            // through `apply_ping`'s confirmed restore or the seller).
            if self.revoked.is_some_and(|r| !r.lasting) {
                self.revoked = None;
                return true;
            }
            return false;
        }
        // A configuration problem says nothing about the license.
        if v.reason == Reason::ProductIdRequired {
            return false;
        }
        if self.revoked.is_some_and(|r| r.lasting) {
            return false;
        }
        self.revoked = Some(Revocation {
            reason: v.reason,
            lasting: matches!(v.reason, Reason::Refunded | Reason::Chargebacked),
            at: now,
        });
        true
    }

    /// Applies a ping together with what Gumroad said when the ledger asked it just after
    /// (`None`: the recheck failed, or was not allowed). Gumroad signs nothing, so a ping alone
    /// never decides for longer than the recheck window: it is a hint that makes the ledger
    /// ask, and Gumroad's invalid answer is noted as any other. A valid answer does not cut a
    /// hint short (Gumroad may not show a refund yet that its ping announced); it confirms a
    /// restoring ping, which lifts its own kinds of revocation, lasting ones included (a won
    /// dispute lifts a chargeback; nothing lifts a refund). Returns whether the ledger changed.
    pub fn apply_ping(
        &mut self,
        effect: super::worker::PingEffect,
        gumroad: Option<&Verdict>,
        now: i64,
    ) -> bool {
        use super::worker::PingEffect;
        let before = (self.revoked, self.hint_at);
        match (effect, gumroad) {
            (PingEffect::Ignore, _) => {}
            (_, Some(v)) if !v.valid => {
                self.note_verdict(v, now);
            }
            (PingEffect::Revoke(reason), _) => {
                let recent_hint = self
                    .hint_at
                    .is_some_and(|t| now - t < HINT_INTERVAL_SECS && t <= now);
                if !self.revoked.is_some_and(|r| r.lasting) && !recent_hint {
                    self.revoked = Some(Revocation {
                        reason,
                        lasting: false,
                        at: now,
                    });
                    self.hint_at = Some(now);
                }
            }
            (PingEffect::Restore(reasons), confirmed) => {
                let lift = self.revoked.is_some_and(|r| {
                    reasons.contains(&r.reason) && (confirmed.is_some() || !r.lasting)
                });
                if lift {
                    self.revoked = None;
                }
            }
            // Gumroad still says valid, or could not be asked: the next verify after the
            // window asks again.
            (PingEffect::Recheck, _) => {}
        }
        (self.revoked, self.hint_at) != before
    }

    /// The stored form (JSON text).
    pub fn to_json(&self) -> String {
        let mut fields = vec![
            ("v", J::Num(2.0)),
            (
                "instances",
                J::Arr(self.instances.iter().map(Instance::stored_json).collect()),
            ),
            (
                "changes",
                J::Arr(self.changes.iter().map(|t| J::Num(*t as f64)).collect()),
            ),
        ];
        if !self.freed.is_empty() {
            let freed = self
                .freed
                .iter()
                .map(|f| {
                    let mut o = vec![("id", J::Str(&f.id)), ("until", J::Num(f.until as f64))];
                    if let Some(d) = &f.device {
                        o.push(("dev", J::Str(d)));
                    }
                    if f.moved {
                        o.push(("moved", J::Bool(true)));
                    }
                    J::Obj(o)
                })
                .collect();
            fields.push(("freed", J::Arr(freed)));
        }
        if let Some(r) = &self.revoked {
            fields.push((
                "revoked",
                J::Obj(vec![
                    ("reason", J::Str(r.reason.as_str())),
                    ("lasting", J::Bool(r.lasting)),
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
            Some(Pending::Decrement { before, id, cool }) => fields.push((
                "pending",
                J::Obj(vec![
                    ("kind", J::Str("decrement")),
                    ("before", J::Num(*before as f64)),
                    ("id", J::Str(id)),
                    ("cool", J::Bool(*cool)),
                ]),
            )),
            None => {}
        }
        if let Some(t) = self.hint_at {
            fields.push(("hint", J::Num(t as f64)));
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

/// An optional member: absent is `Ok(None)`, present but unreadable is `Err(())`.
fn optional<S: Stored, T>(
    v: &S,
    key: &str,
    read: impl Fn(&S) -> Option<T>,
) -> Result<Option<T>, ()> {
    match v.field(key) {
        None => Ok(None),
        Some(f) => read(&f).map(Some).ok_or(()),
    }
}

fn instance_from<S: Stored>(v: &S) -> Option<Instance> {
    Some(Instance {
        id: v.field("id")?.text()?,
        name: v.field("name")?.text()?,
        device: optional(v, "dev", S::text).ok()?,
        activated_at: v.field("at")?.text()?,
        tokens_until: optional(v, "until", |n| whole(n.number()?))
            .ok()?
            .unwrap_or(0),
    })
}

fn freed_from<S: Stored>(v: &S) -> Option<Freed> {
    Some(Freed {
        id: v.field("id")?.text()?,
        device: optional(v, "dev", S::text).ok()?,
        until: whole(v.field("until")?.number()?)?,
        moved: optional(v, "moved", S::boolean).ok()?.unwrap_or(false),
    })
}

pub fn ledger_from<S: Stored>(v: &S) -> Option<Ledger> {
    let instances = v
        .field("instances")?
        .items()?
        .iter()
        .map(instance_from)
        .collect::<Option<Vec<_>>>()?;
    let freed = match v.field("freed") {
        None => Vec::new(),
        Some(list) => list
            .items()?
            .iter()
            .map(freed_from)
            .collect::<Option<Vec<_>>>()?,
    };
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
            lasting: r.field("lasting")?.boolean()?,
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
                    cool: p.field("cool")?.boolean()?,
                }),
                _ => return None,
            }
        }
    };
    let hint_at = optional(v, "hint", |n| whole(n.number()?)).ok()?;
    Some(Ledger {
        instances,
        freed,
        revoked,
        changes,
        pending,
        hint_at,
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

    fn inst(id: &str, dev: Option<&str>) -> Instance {
        Instance {
            id: id.into(),
            name: "laptop \"A\"".into(),
            device: dev.map(String::from),
            activated_at: "2026-11-27T06:00:00.000Z".into(),
            tokens_until: 0,
        }
    }

    fn with_tokens(mut i: Instance, until: i64) -> Instance {
        i.tokens_until = until;
        i
    }

    fn roundtrip(l: &Ledger) -> Ledger {
        let v: serde_json::Value = serde_json::from_str(&l.to_json()).unwrap();
        ledger_from(&v).unwrap()
    }

    const VALID: Verdict = Verdict {
        valid: true,
        reason: Reason::Ok,
        uses: 0,
    };

    fn invalid(reason: Reason) -> Verdict {
        Verdict {
            valid: false,
            reason,
            uses: 0,
        }
    }

    #[test]
    fn stored_form_round_trips() {
        let mut l = Ledger::default();
        assert_eq!(roundtrip(&l), l);
        l.instances = vec![
            with_tokens(inst("inst_a", Some("d1")), 99),
            inst("inst_b", None),
        ];
        l.freed = vec![
            Freed {
                id: "inst_x".into(),
                device: Some("d9".into()),
                until: 500,
                moved: true,
            },
            Freed {
                id: "inst_y".into(),
                device: None,
                until: 600,
                moved: false,
            },
        ];
        l.changes = vec![100, 200];
        l.revoked = Some(Revocation {
            reason: Reason::Refunded,
            lasting: true,
            at: 50,
        });
        l.pending = Some(Pending::Increment {
            before: 3,
            instance: inst("inst_c", Some("d2")),
        });
        assert_eq!(roundtrip(&l), l);
        l.pending = Some(Pending::Decrement {
            before: 3,
            id: "inst_a".into(),
            cool: true,
        });
        l.hint_at = Some(77);
        assert_eq!(roundtrip(&l), l);
    }

    #[test]
    fn an_unreadable_ledger_is_an_error_not_an_empty_one() {
        for bad in [
            r#"{}"#,
            r#"{"instances":[{"id":1}],"changes":[]}"#,
            r#"{"instances":[],"changes":[1.5]}"#,
            r#"{"instances":[{"id":"a","name":"","at":"","dev":7}],"changes":[]}"#,
            r#"{"instances":[{"id":"a","name":"","at":"","until":"soon"}],"changes":[]}"#,
            r#"{"instances":[],"changes":[],"freed":[{"id":"a"}]}"#,
            r#"{"instances":[],"changes":[],"freed":{"id":"a","until":1}}"#,
            r#"{"instances":[],"changes":[],"revoked":{"reason":"bogus","lasting":true,"at":1}}"#,
            // The stored form of an older build (a revocation by ping was permanent then).
            r#"{"instances":[],"changes":[],"revoked":{"reason":"refunded","ping":true,"at":1}}"#,
            r#"{"instances":[],"changes":[],"pending":{"kind":"x","before":1}}"#,
            r#"{"instances":[],"changes":[],"pending":{"kind":"decrement","before":1,"id":"a"}}"#,
        ] {
            let v: serde_json::Value = serde_json::from_str(bad).unwrap();
            assert_eq!(ledger_from(&v), None, "{bad}");
        }
    }

    #[test]
    fn small_sorts_sort() {
        let mut v = vec![5, -1, 3, 3, 9, 0];
        sort_small(&mut v);
        assert_eq!(v, [-1, 0, 3, 3, 5, 9]);
        let mut e: Vec<i64> = vec![];
        sort_small(&mut e);
        assert!(e.is_empty());
    }

    #[test]
    fn the_limit_is_devices_per_seat_capped() {
        assert_eq!(seat_limit(Some(2), 1), 2);
        assert_eq!(seat_limit(Some(2), 3), 6);
        assert_eq!(seat_limit(Some(2), 0), 2, "a seat count of 0 is one seat");
        assert_eq!(seat_limit(None, 1), MAX_INSTANCES);
        assert_eq!(seat_limit(Some(u64::MAX), 5), MAX_INSTANCES);
        assert_eq!(seat_limit(Some(0), 1), 0);
    }

    #[test]
    fn admission_counts_active_instances_and_cooling_seats() {
        let now = 1_000;
        let mut l = Ledger::default();
        assert_eq!(l.admit("d1", 2, now), Admission::Free);
        l.take_seat(inst("a", Some("d1")));
        assert_eq!(
            l.admit("d1", 2, now),
            Admission::Existing(0),
            "a re-install"
        );
        l.take_seat(inst("b", Some("d2")));
        assert_eq!(
            l.admit("d3", 2, now),
            Admission::Full { retry_after: None },
            "every seat active: deactivate first"
        );
        assert_eq!(l.admit("d3", 0, now), Admission::Full { retry_after: None });
    }

    #[test]
    fn a_freed_seat_cools_until_its_tokens_expire_with_one_move_at_a_time() {
        let now = 10_000;
        let mut l = Ledger::default();
        l.take_seat(with_tokens(inst("a", Some("d1")), now + 500));
        l.take_seat(with_tokens(inst("b", Some("d2")), now + 900));
        // Without tokens there is nothing to cool: a seat whose tokens expired is free at once.
        l.take_seat(with_tokens(inst("c", Some("d3")), now - 1));
        assert!(l.free_seat("c", now, true).is_some());
        assert!(l.freed.is_empty());
        assert_eq!(l.admit("d4", 2, now), Admission::Full { retry_after: None });
        // The buyer frees d1: its tokens verify until now + 500.
        assert!(l.free_seat("a", now, true).is_some());
        assert_eq!(l.cooling(now).count(), 1);
        // The move: a new computer at once.
        assert_eq!(l.admit("d4", 2, now), Admission::Move(0));
        l.freed[0].moved = true;
        l.take_seat(with_tokens(inst("d", Some("d4")), now + 600));
        // Moving again: d2 freed, but the moved-from d1 still verifies until now + 500.
        assert!(l.free_seat("b", now, true).is_some());
        assert_eq!(
            l.admit("d5", 2, now),
            Admission::Full {
                retry_after: Some(500)
            },
            "the move is back when d1's tokens expire (before d2's at +900)"
        );
        // Once d1's tokens have expired the move is possible again.
        assert_eq!(l.admit("d5", 2, now + 500), Admission::Move(1));
        // And once d2's have expired too, the seat is simply free.
        assert_eq!(l.admit("d5", 2, now + 900), Admission::Free);
        assert!(l.prune(now + 900));
        assert!(l.freed.is_empty());
    }

    #[test]
    fn the_same_device_takes_its_own_cooling_seat_back_without_the_move() {
        let now = 10_000;
        let mut l = Ledger::default();
        l.take_seat(with_tokens(inst("a", Some("d1")), now + 500));
        assert!(l.free_seat("a", now, true).is_some());
        assert_eq!(
            l.admit("d1", 1, now),
            Admission::Free,
            "its own tokens, same device"
        );
        l.take_seat(inst("a2", Some("d1")));
        assert!(
            l.freed.is_empty(),
            "the cooling seat is absorbed by the new instance"
        );
        assert!(l.move_available(now));
        // ...with its tokens' expiry: the new instance got none (a settled pending change), yet
        // freeing it cools until the old tokens expire.
        assert_eq!(l.instances[0].tokens_until, now + 500);
        assert!(l.free_seat("a2", now + 1, true).is_some());
        assert_eq!(l.admit("d2", 1, now + 1), Admission::Move(0));
        let untils: Vec<i64> = l.cooling(now + 1).map(|f| f.until).collect();
        assert_eq!(untils, [now + 500]);
    }

    #[test]
    fn the_seller_frees_a_seat_at_once() {
        let now = 10_000;
        let mut l = Ledger::default();
        l.take_seat(with_tokens(inst("a", Some("d1")), now + 500));
        assert!(l.free_seat("a", now, false).is_some());
        assert!(l.freed.is_empty());
        assert_eq!(l.admit("d2", 1, now), Admission::Free);
        assert_eq!(l.free_seat("nope", now, false), None);
    }

    #[test]
    fn retry_after_waits_for_enough_seats_to_expire() {
        let now = 0;
        let mut l = Ledger::default();
        // Limit lowered to 1 while three freed seats cool: two must expire.
        for (i, until) in [300, 100, 200].into_iter().enumerate() {
            l.freed.push(Freed {
                id: i.to_string(),
                device: Some(i.to_string()),
                until,
                moved: false,
            });
        }
        assert_eq!(
            l.admit("new", 1, now),
            Admission::Full {
                retry_after: Some(200)
            }
        );
        assert_eq!(l.admit("new", 4, now), Admission::Free);
        assert_eq!(l.admit("new", 3, now), Admission::Move(0));
    }

    #[test]
    fn churn_at_three_seats_leaves_at_most_four_devices_with_live_tokens() {
        // Activate a new device, give it a token, deactivate it: ten times.
        let grace = 7 * 86_400;
        let mut l = Ledger::default();
        let mut holders = Vec::new();
        for i in 0..10i64 {
            let now = 1_000_000 + i * 60;
            let dev = i.to_string();
            match l.admit(&dev, 3, now) {
                Admission::Free => {}
                Admission::Move(at) => l.freed[at].moved = true,
                Admission::Full { retry_after } => {
                    assert!(retry_after.is_some_and(|s| s > 6 * 86_400));
                    continue;
                }
                Admission::Existing(_) => unreachable!(),
            }
            l.take_seat(with_tokens(inst(&dev, Some(&dev)), now + grace));
            holders.push(dev.clone());
            assert!(l.free_seat(&dev, now, true).is_some());
        }
        assert_eq!(holders.len(), 4, "three seats and one move: {holders:?}");
    }

    #[test]
    fn tokens_are_noted_for_instances_within_the_limit() {
        let mut l = Ledger::default();
        for id in ["a", "b", "c"] {
            l.take_seat(inst(id, Some(id)));
        }
        assert!(l.note_tokens(2, 700));
        let until: Vec<i64> = l.instances.iter().map(|i| i.tokens_until).collect();
        assert_eq!(
            until,
            [700, 700, 0],
            "the newest beyond the limit get no tokens"
        );
        assert!(!l.note_tokens(2, 600), "never shortened");
        assert!(Ledger::over_limit(2, 2) && !Ledger::over_limit(1, 2));
    }

    #[test]
    fn token_expiry_is_the_grace_period_capped_by_the_paid_period() {
        assert_eq!(token_exp(100, 50, None), 150);
        assert_eq!(token_exp(100, 50, Some(120)), 120);
        assert_eq!(token_exp(100, 50, Some(900)), 150);
        assert_eq!(
            token_exp(100, 50, Some(90)),
            150,
            "a date already past caps nothing"
        );
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
    fn a_blank_ledger_holds_nothing_worth_storing() {
        let now = 100_000;
        let mut l = Ledger::default();
        assert!(l.is_blank(now, 30));
        l.changes.push(now - 10);
        assert!(!l.is_blank(now, 30));
        l.changes = vec![now - 3600];
        assert!(l.is_blank(now, 30), "changes older than the window");
        l.revoked = Some(Revocation {
            reason: Reason::Disputed,
            lasting: false,
            at: now - 31,
        });
        assert!(l.is_blank(now, 30), "a revocation past its window");
        l.revoked = Some(Revocation {
            reason: Reason::Refunded,
            lasting: true,
            at: 0,
        });
        assert!(!l.is_blank(now, 30));
        l.revoked = None;
        l.freed.push(Freed {
            id: "x".into(),
            device: None,
            until: now + 1,
            moved: false,
        });
        assert!(!l.is_blank(now, 30));
        assert!(l.is_blank(now + 1, 30));
    }

    #[test]
    fn gumroads_refund_or_chargeback_is_lasting_anything_else_is_rechecked() {
        let mut l = Ledger::default();
        assert!(l.note_verdict(&invalid(Reason::Disabled), 100));
        assert_eq!(l.standing_revocation(110, 30), Some(Reason::Disabled));
        assert_eq!(l.standing_revocation(131, 30), None);
        // Gumroad says valid again (a re-enabled key): the revocation goes.
        assert!(l.note_verdict(&VALID, 140));
        assert_eq!(l.revoked, None);

        assert!(l.note_verdict(&invalid(Reason::Refunded), 200));
        assert_eq!(l.standing_revocation(999_999, 30), Some(Reason::Refunded));
        assert!(
            !l.note_verdict(&VALID, 300),
            "lasting: not lifted by a valid answer"
        );
        assert!(!l.note_verdict(&invalid(Reason::Disabled), 300));
        assert_eq!(l.revoked.map(|r| r.reason), Some(Reason::Refunded));

        let mut l = Ledger::default();
        assert!(l.note_verdict(&invalid(Reason::Chargebacked), 0));
        assert!(l.revoked.is_some_and(|r| r.lasting));
        assert!(!l.note_verdict(&invalid(Reason::ProductIdRequired), 5));
    }

    #[test]
    fn a_ping_alone_never_revokes_beyond_the_recheck_window() {
        // A forged refund ping for a license Gumroad calls valid.
        let mut l = Ledger::default();
        assert!(l.apply_ping(PingEffect::Revoke(Reason::Refunded), Some(&VALID), 100));
        assert_eq!(l.standing_revocation(129, 30), Some(Reason::Refunded));
        assert_eq!(l.standing_revocation(130, 30), None, "then Gumroad decides");
        assert!(l.note_verdict(&VALID, 130));
        assert_eq!(l.revoked, None);
        // Pinging again does not buy another window: one unconfirmed hint a day.
        for t in [131, 200, 100 + HINT_INTERVAL_SECS - 1] {
            assert!(!l.apply_ping(PingEffect::Revoke(Reason::Refunded), Some(&VALID), t));
            assert!(!l.apply_ping(PingEffect::Revoke(Reason::Disputed), None, t));
            assert_eq!(l.revoked, None);
        }
        // A day later a hint is possible again, also when Gumroad could not be asked.
        let later = 100 + HINT_INTERVAL_SECS;
        assert!(l.apply_ping(PingEffect::Revoke(Reason::Refunded), None, later));
        assert!(l.revoked.is_some_and(|r| !r.lasting));
        assert!(!l.is_blank(later + 31, 30), "the hint's day is remembered");
        assert!(l.is_blank(later + HINT_INTERVAL_SECS, 30));
        // A real refund: Gumroad confirms, and it lasts, however recent the last hint.
        assert!(l.apply_ping(
            PingEffect::Revoke(Reason::Refunded),
            Some(&invalid(Reason::Refunded)),
            later + 5
        ));
        assert_eq!(
            l.standing_revocation(999_999_999, 30),
            Some(Reason::Refunded)
        );
        // Neither a hint, a recheck nor an unconfirmed restore shortens it.
        let t = later + 2 * HINT_INTERVAL_SECS;
        assert!(!l.apply_ping(PingEffect::Revoke(Reason::SubscriptionEnded), None, t));
        assert!(!l.apply_ping(PingEffect::Recheck, None, t));
        assert!(!l.apply_ping(PingEffect::Restore(&[Reason::Disputed]), None, t));
        // Nor a restore of another kind that Gumroad confirms valid (a refund is final).
        assert!(!l.apply_ping(
            PingEffect::Restore(&[Reason::Disputed, Reason::Chargebacked]),
            Some(&VALID),
            t
        ));
        assert_eq!(l.revoked.map(|r| r.reason), Some(Reason::Refunded));
    }

    #[test]
    fn restores_and_rechecks_follow_gumroad() {
        let mut l = Ledger::default();
        assert!(l.note_verdict(&invalid(Reason::Chargebacked), 0));
        // dispute_won, and Gumroad agrees: even the lasting chargeback goes.
        let won = PingEffect::Restore(&[Reason::Disputed, Reason::Chargebacked]);
        assert!(l.apply_ping(won, Some(&VALID), 10));
        assert_eq!(l.revoked, None);
        // A dispute ping retried after its dispute_won, Gumroad saying valid: a hint only.
        assert!(l.apply_ping(PingEffect::Revoke(Reason::Disputed), Some(&VALID), 20));
        assert_eq!(l.standing_revocation(49, 30), Some(Reason::Disputed));
        assert_eq!(l.standing_revocation(50, 30), None);
        // A restore Gumroad contradicts is Gumroad's verdict.
        let restarted = PingEffect::Restore(&[Reason::SubscriptionEnded]);
        assert!(l.apply_ping(restarted, Some(&invalid(Reason::SubscriptionEnded)), 60));
        assert_eq!(
            l.standing_revocation(61, 30),
            Some(Reason::SubscriptionEnded)
        );
        // Unconfirmed, a restore lifts only what is not lasting, of its own kinds.
        assert!(!l.apply_ping(won, None, 62));
        assert!(l.apply_ping(restarted, None, 62));
        assert_eq!(l.revoked, None);
        // A recheck notes what Gumroad says, and cuts no hint short.
        assert!(l.apply_ping(PingEffect::Recheck, Some(&invalid(Reason::Disabled)), 70));
        assert!(!l.apply_ping(PingEffect::Recheck, Some(&VALID), 71));
        assert!(!l.apply_ping(PingEffect::Recheck, None, 71));
        assert_eq!(l.standing_revocation(72, 30), Some(Reason::Disabled));
        assert!(!l.apply_ping(PingEffect::Ignore, Some(&invalid(Reason::Refunded)), 80));
        // A refund hint stands through a dispute_won that Gumroad calls valid.
        let mut l = Ledger::default();
        assert!(l.apply_ping(PingEffect::Revoke(Reason::Refunded), Some(&VALID), 100));
        assert!(!l.apply_ping(won, Some(&VALID), 101));
        assert_eq!(l.standing_revocation(102, 30), Some(Reason::Refunded));
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
            cool: true,
        };
        assert!(applied(&dec, 3));
        assert!(!applied(&dec, 4));
    }
}
