//! The `LicenseLedger` Durable Object: one per license (named by the hash of product and key).
//! Its JS shell (`entries/worker.js`) runs one request at a time per object, so every change of
//! a license's seats is serialised; this file is what each request does. Decisions are in
//! `core::ledger`; Gumroad is asked through the same client code as everywhere else.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use js_sys::{Promise, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use web_sys::{Headers, Request, Response, ResponseInit};

use super::platform::{self, get, get_str, iso, log, now_secs, Storage};
use super::upstream::{self, Failure, Seen};
use crate::core::json::J;
use crate::core::ledger::{
    applied, ledger_from, seat_limit, token_exp, Admission, Instance, Ledger, Pending, Stored,
};
use crate::core::license::{Reason, Verdict};
use crate::core::oauth::base64url;
use crate::core::worker::{
    error_body, ping_effect, verdict_body, PingEffect, WorkerConfig, WorkerError,
    MISCONFIGURED_MESSAGE,
};

/// The last upstream verify answer of each object in this isolate, and the arrival number
/// current when that call finished: a request that arrived while the call was in flight (or
/// before it) takes its answer instead of asking again. That is single-flight without
/// polling: requests queued behind one upstream call all take its answer, however long it
/// took, and the answer is never older than their arrival by more than that call's duration.
struct Recent {
    answered_at_seq: f64,
    at_ms: f64,
    outcome: Result<Seen, Failure>,
}

thread_local! {
    static RECENT: RefCell<HashMap<String, Rc<Recent>>> = RefCell::new(HashMap::new());
}

/// Answers older than this are never reused, whatever the arrival numbers say.
const RECENT_MAX_AGE_MS: f64 = 10_000.0;

/// Called by the JS shell for each request, one at a time per object.
#[wasm_bindgen(js_name = ledgerFetch, unchecked_return_type = "Promise<Response>")]
pub fn ledger_fetch(
    #[wasm_bindgen(
        unchecked_param_type = "{ state: unknown; env: unknown; seq: number; incarnation: string }"
    )]
    shell: JsValue,
    request: Request,
    seq: f64,
) -> Promise {
    future_to_promise(async move {
        let reply = respond(&shell, &request, seq).await;
        Ok(reply
            .into_response()
            .map(JsValue::from)
            .unwrap_or(JsValue::NULL))
    })
}

/// An answer of the ledger to the Worker in front of it.
pub struct LedgerReply {
    pub status: u16,
    pub body: String,
    pub retry_after: Option<u32>,
    /// This request asked Gumroad: its answer may be cached (followers do not write again).
    pub leader: bool,
    /// Gumroad answered 429: the front stops calling for this long.
    pub cooldown: Option<u32>,
}

impl LedgerReply {
    fn ok(body: String) -> Self {
        LedgerReply {
            status: 200,
            body,
            retry_after: None,
            leader: false,
            cooldown: None,
        }
    }

    fn error(e: WorkerError) -> Self {
        LedgerReply {
            status: e.status(),
            body: e.body(),
            ..LedgerReply::ok(String::new())
        }
    }

    fn misconfigured(detail: &str) -> Self {
        log(detail);
        LedgerReply {
            status: 500,
            body: error_body("misconfigured", MISCONFIGURED_MESSAGE),
            ..LedgerReply::ok(String::new())
        }
    }

    fn failure(f: &Failure) -> Self {
        LedgerReply {
            status: f.status,
            body: error_body(f.code, f.message),
            retry_after: Some(f.retry_after),
            leader: false,
            cooldown: f.cooldown.then_some(f.retry_after),
        }
    }

    fn into_response(self) -> Option<Response> {
        let headers = Headers::new().ok()?;
        let _ = headers.set("Content-Type", "application/json");
        if let Some(s) = self.retry_after {
            let _ = headers.set("Retry-After", &num(s.into()));
        }
        if self.leader {
            let _ = headers.set("X-Ledger-Leader", "1");
        }
        if let Some(s) = self.cooldown {
            let _ = headers.set("X-Ledger-Cooldown", &num(s.into()));
        }
        let init = ResponseInit::new();
        init.set_status(self.status);
        init.set_headers(&headers);
        Response::new_with_opt_str_and_init(Some(&self.body), &init).ok()
    }

    /// Reads a ledger answer back in the front Worker.
    pub async fn from_response(resp: &Response) -> Option<LedgerReply> {
        let h = resp.headers();
        let header_num = |k: &str| {
            h.get(k)
                .ok()
                .flatten()
                .and_then(|v| v.trim().parse::<u32>().ok())
        };
        let body = wasm_bindgen_futures::JsFuture::from(resp.text().ok()?)
            .await
            .ok()?
            .as_string()?;
        Some(LedgerReply {
            status: resp.status(),
            body,
            retry_after: header_num("Retry-After"),
            leader: h.get("X-Ledger-Leader").ok().flatten().is_some(),
            cooldown: header_num("X-Ledger-Cooldown"),
        })
    }
}

fn num(n: f64) -> String {
    crate::core::endpoints::int_text(n).unwrap_or_default()
}

/// A command from the front Worker (JSON).
struct Command {
    op: String,
    key: String,
    product_id: String,
    /// The device's hash (activation), computed by the front from the fingerprint.
    device: Option<String>,
    name: String,
    instance_id: Option<String>,
    event: String,
    refunded: Option<String>,
    chargebacked: Option<String>,
}

impl Command {
    fn from_js(v: &JsValue) -> Option<Command> {
        Some(Command {
            op: get_str(v, "op")?,
            key: get_str(v, "key")?,
            product_id: get_str(v, "product_id")?,
            device: get_str(v, "device"),
            name: get_str(v, "name").unwrap_or_default(),
            instance_id: get_str(v, "instance_id"),
            event: get_str(v, "event").unwrap_or_default(),
            refunded: get_str(v, "refunded"),
            chargebacked: get_str(v, "chargebacked"),
        })
    }
}

/// A JS object read as a stored ledger.
struct JsStored(JsValue);

impl Stored for JsStored {
    fn field(&self, key: &str) -> Option<Self> {
        get(&self.0, key).map(JsStored)
    }
    fn text(&self) -> Option<String> {
        self.0.as_string()
    }
    fn number(&self) -> Option<f64> {
        self.0.as_f64()
    }
    fn boolean(&self) -> Option<bool> {
        self.0.as_bool()
    }
    fn items(&self) -> Option<Vec<Self>> {
        js_sys::Array::is_array(&self.0)
            .then(|| js_sys::Array::from(&self.0).iter().map(JsStored).collect())
    }
}

const LEDGER_KEY: &str = "ledger";

struct Ctx<'a> {
    shell: &'a JsValue,
    storage: Storage,
    object_id: String,
    cfg: WorkerConfig,
    cmd: Command,
    seq: f64,
}

async fn respond(shell: &JsValue, request: &Request, seq: f64) -> LedgerReply {
    let (Some(state), Some(env)) = (get(shell, "state"), get(shell, "env")) else {
        return LedgerReply::misconfigured("LicenseLedger: no state/env");
    };
    let cfg = match WorkerConfig::from_lookup(|k| get_str(&env, k)) {
        Ok(c) => c,
        Err(e) => return LedgerReply::misconfigured(&e.message),
    };
    let Some(storage) = get(&state, "storage").map(JsCast::unchecked_into::<Storage>) else {
        return LedgerReply::misconfigured("LicenseLedger: no storage");
    };
    // The object's id plus this incarnation of it: a rebuilt object starts its arrival numbers
    // again, and must not match answers its predecessor left in this isolate.
    let (Some(id), Some(incarnation)) = (get(&state, "id"), get_str(shell, "incarnation")) else {
        return LedgerReply::misconfigured("LicenseLedger: no object id");
    };
    let mut object_id = String::from(id.unchecked_ref::<js_sys::Object>().to_string());
    if object_id.is_empty() {
        return LedgerReply::misconfigured("LicenseLedger: empty object id");
    }
    object_id.push('/');
    object_id.push_str(&incarnation);
    let text = match request.text() {
        Ok(p) => wasm_bindgen_futures::JsFuture::from(p)
            .await
            .ok()
            .and_then(|t| t.as_string()),
        Err(_) => None,
    };
    let Some(cmd) = text
        .and_then(|t| JSON::parse(&t).ok())
        .and_then(|v| Command::from_js(&v))
    else {
        return LedgerReply::error(WorkerError::MalformedBody);
    };
    let cx = Ctx {
        shell,
        storage,
        object_id,
        cfg,
        cmd,
        seq,
    };
    let mut ledger = match cx.load().await {
        Some(l) => l,
        None => {
            let mut line =
                String::from("LicenseLedger: stored ledger unreadable, refusing to change it: ");
            line.push_str(&cx.object_id);
            log(&line);
            return LedgerReply {
                status: 500,
                body: error_body("ledger_unavailable", "the license ledger could not be read"),
                retry_after: Some(5),
                ..LedgerReply::ok(String::new())
            };
        }
    };
    let out = match cx.cmd.op.as_str() {
        "verify" => cx.verify(&mut ledger).await,
        "activate" => cx.activate(&mut ledger).await,
        "deactivate" => cx.deactivate(&mut ledger, true).await,
        "instances" => cx.instances(&mut ledger).await,
        "ping" => cx.ping(&mut ledger).await,
        "admin_instances" => Ok(cx.admin_instances(&ledger)),
        "admin_deactivate" => cx.admin_deactivate(&mut ledger).await,
        "admin_unrevoke" => cx.admin_unrevoke(&mut ledger).await,
        _ => Err(LedgerReply::error(WorkerError::NotFound)),
    };
    match out {
        Ok(r) | Err(r) => r,
    }
}

/// The answer to an activation when every seat is taken (`retry_after`: when one frees).
fn full_reply(limit: u64, active: usize, retry_after: Option<u32>) -> LedgerReply {
    let code = WorkerError::ActivationLimitReached.code();
    let mut fields = vec![("code", J::Str(code))];
    match retry_after {
        None => fields.push((
            "message",
            J::Str(WorkerError::ActivationLimitReached.message()),
        )),
        Some(_) => fields.push((
            "message",
            J::Str(
                "every seat of this license is in use or still held by the offline access of a \
                 deactivated device: retry after retry_after seconds, or deactivate a device",
            ),
        )),
    }
    fields.push(("limit", J::Num(limit as f64)));
    fields.push(("active", J::Num(active as f64)));
    if let Some(s) = retry_after {
        fields.push(("retry_after", J::Num(f64::from(s))));
    }
    LedgerReply {
        status: 409,
        retry_after,
        ..LedgerReply::ok(J::Obj(vec![("error", J::Obj(fields))]).to_json())
    }
}

/// `at` and `exp` for tokens signed from an answer: the front signs an answer only when they are
/// there, and removes them before it answers.
fn signable<'a>(fields: &mut Vec<(&'a str, J<'a>)>, at: i64, exp: i64) {
    fields.push(("at", J::Num(at as f64)));
    fields.push(("exp", J::Num(exp as f64)));
}

impl Ctx<'_> {
    async fn load(&self) -> Option<Ledger> {
        let stored = self.storage.read(LEDGER_KEY).await.ok()?;
        if stored.is_undefined() || stored.is_null() {
            return Some(Ledger::default());
        }
        let parsed = JSON::parse(&stored.as_string()?).ok()?;
        ledger_from(&JsStored(parsed))
    }

    fn recheck_secs(&self) -> u32 {
        self.cfg.recheck_secs
    }

    /// Writes the ledger, or deletes the object's storage when the ledger holds nothing worth
    /// keeping (keys nobody owns leave nothing behind).
    async fn save(&self, ledger: &Ledger) -> Result<(), LedgerReply> {
        let done = if ledger.is_blank(now_secs(), self.recheck_secs()) {
            self.storage.delete_all().await
        } else {
            self.storage
                .write(LEDGER_KEY, &JsValue::from_str(&ledger.to_json()))
                .await
        };
        done.map_err(|_| {
            log("LicenseLedger: storage write failed");
            LedgerReply {
                status: 503,
                body: error_body(
                    "ledger_unavailable",
                    "the license ledger could not be saved",
                ),
                retry_after: Some(5),
                ..LedgerReply::ok(String::new())
            }
        })
    }

    /// Whether tokens are signed at all (without a signing key no seat needs a cool-down).
    fn signs(&self) -> bool {
        self.cfg.signing_key.is_some()
    }

    fn exp_of(&self, seen: &Seen) -> i64 {
        token_exp(seen.at, self.cfg.offline_grace_secs, seen.paid_through)
    }

    /// Gumroad's verdict without counting a use, shared with requests queued behind this one.
    /// `Ok(true)` in the pair: this request asked Gumroad itself.
    async fn fresh(&self) -> (Result<Seen, Failure>, bool) {
        let now = js_sys::Date::now();
        let reuse = RECENT.with(|r| {
            r.borrow()
                .get(&self.object_id)
                .filter(|rec| {
                    rec.answered_at_seq >= self.seq && now - rec.at_ms < RECENT_MAX_AGE_MS
                })
                .cloned()
        });
        if let Some(rec) = reuse {
            return (rec.outcome.clone(), false);
        }
        let outcome = upstream::ask(&self.cfg, &self.cmd.key, &self.cmd.product_id, false).await;
        // Everything that arrived until the answer came shares it.
        let answered_at_seq = get(self.shell, "seq")
            .and_then(|s| s.as_f64())
            .unwrap_or(self.seq);
        let at_ms = js_sys::Date::now();
        RECENT.with(|r| {
            let mut r = r.borrow_mut();
            r.retain(|_, rec| at_ms - rec.at_ms < RECENT_MAX_AGE_MS);
            r.insert(
                self.object_id.clone(),
                Rc::new(Recent {
                    answered_at_seq,
                    at_ms,
                    outcome: outcome.clone(),
                }),
            );
        });
        (outcome, true)
    }

    fn forget_recent(&self) {
        RECENT.with(|r| r.borrow_mut().remove(&self.object_id));
    }

    /// Settles an unanswered count change before anything else may change the seats.
    async fn settle(&self, ledger: &mut Ledger) -> Result<(), LedgerReply> {
        self.settle_or_verdict(ledger)
            .await
            .map_err(|(reply, _)| reply)
    }

    /// Like `settle`; when Gumroad answered without a count (the key is now unknown or
    /// disabled), the error also carries that verdict, so a verify can still say so while
    /// the change stays pending.
    async fn settle_or_verdict(
        &self,
        ledger: &mut Ledger,
    ) -> Result<(), (LedgerReply, Option<Seen>)> {
        let Some(pending) = ledger.pending.clone() else {
            return Ok(());
        };
        // A count read, never reused: it must postdate the unanswered change.
        self.forget_recent();
        let seen = match self.fresh().await.0 {
            Ok(s) if s.from_answer => s,
            Ok(s) => return Err((LedgerReply::failure(&Failure::no_count()), Some(s))),
            Err(f) => return Err((LedgerReply::failure(&f), None)),
        };
        if applied(&pending, seen.uses) {
            // The answer that would have carried a token was never given: no token to count.
            match pending {
                Pending::Increment { instance, .. } => ledger.take_seat(instance),
                Pending::Decrement { id, cool, .. } => {
                    ledger.free_seat(&id, now_secs(), cool);
                }
            }
        }
        ledger.pending = None;
        self.save(ledger).await.map_err(|r| (r, None))
    }

    /// A verify answer, as the front reads (and caches) it: the verdict, when it was obtained,
    /// until when its tokens may run, and every instance with its device and whether it is
    /// beyond the limit.
    fn entry(&self, ledger: &Ledger, seen: &Seen) -> String {
        let limit = seat_limit(self.cfg.max_uses, seen.seats);
        let list: Vec<J> = ledger
            .instances
            .iter()
            .enumerate()
            .map(|(i, inst)| {
                let mut f = vec![("id", J::Str(&inst.id))];
                if let Some(d) = &inst.device {
                    f.push(("dev", J::Str(d)));
                }
                if Ledger::over_limit(i, limit) {
                    f.push(("over", J::Bool(true)));
                }
                J::Obj(f)
            })
            .collect();
        J::Obj(vec![
            (
                "verdict",
                J::Raw(&verdict_body(&seen.verdict, &self.cmd.product_id, vec![])),
            ),
            ("at", J::Num(seen.at as f64)),
            ("exp", J::Num(self.exp_of(seen) as f64)),
            ("instances", J::Arr(list)),
        ])
        .to_json()
    }

    /// The verdict a verify or activation starts from: a standing revocation, else Gumroad's
    /// answer (noted in the ledger). The flag: the ledger changed and should be saved.
    async fn judge(&self, ledger: &mut Ledger) -> Result<(Seen, bool, bool), LedgerReply> {
        let now = now_secs();
        if let Some(reason) = ledger.standing_revocation(now, self.recheck_secs()) {
            // A revocation that ends with its window (a ping's hint, say) is signed to end with
            // it too: a refusal token must not hold an app locked out offline beyond it.
            let ends = ledger
                .revoked
                .filter(|r| !r.lasting)
                .map(|r| r.at.saturating_add(i64::from(self.recheck_secs())));
            let seen = Seen {
                verdict: Verdict {
                    valid: false,
                    reason,
                    uses: ledger.instances.len() as u64,
                },
                seats: 1,
                email: None,
                from_answer: false,
                at: now,
                paid_through: ends,
            };
            // Only a lasting revocation's answer may be cached: one that ends with its window
            // would outlive it in a cache by the cache's TTL.
            let cacheable = ledger.revoked.is_some_and(|r| r.lasting);
            return Ok((seen, cacheable, false));
        }
        let (outcome, leader) = self.fresh().await;
        let seen = outcome.map_err(|f| LedgerReply::failure(&f))?;
        // A license with nothing stored (no devices, no changes) is not given storage just to
        // remember it is invalid: a flood of made-up keys would otherwise leave a stored ledger
        // per key. Its answer is still cached, and shared in memory.
        let worth_storing = !ledger.is_blank(now, self.recheck_secs());
        let dirty = ledger.note_verdict(&seen.verdict, now) && worth_storing;
        Ok((seen, leader, dirty))
    }

    async fn verify(&self, ledger: &mut Ledger) -> Result<LedgerReply, LedgerReply> {
        match self.settle_or_verdict(ledger).await {
            Ok(()) => {}
            // Gumroad no longer knows the key (or disabled it): that is the answer, whatever
            // the pending change turns out to be.
            Err((_, Some(seen))) if !seen.valid => {
                return Ok(LedgerReply {
                    leader: true,
                    ..LedgerReply::ok(self.entry(ledger, &seen))
                })
            }
            Err((r, _)) => return Err(r),
        }
        let (seen, leader, mut dirty) = self.judge(ledger).await?;
        // The answer is cached and lists every instance: each may get a token from it.
        if seen.valid && self.signs() {
            let limit = seat_limit(self.cfg.max_uses, seen.seats);
            dirty |= ledger.note_tokens(limit, self.exp_of(&seen));
        }
        dirty |= ledger.prune(now_secs());
        if dirty {
            self.save(ledger).await?;
        }
        Ok(LedgerReply {
            leader,
            ..LedgerReply::ok(self.entry(ledger, &seen))
        })
    }

    /// Counts the attempt against the per-license hourly limit (saved with the change).
    fn count_change(&self, ledger: &mut Ledger) -> Result<(), LedgerReply> {
        ledger
            .count_change(now_secs(), self.cfg.key_changes_per_hour)
            .map_err(|wait| LedgerReply {
                retry_after: Some(wait),
                ..LedgerReply::error(WorkerError::RateLimited)
            })
    }

    async fn activate(&self, ledger: &mut Ledger) -> Result<LedgerReply, LedgerReply> {
        let Some(device) = self.cmd.device.clone() else {
            return Err(LedgerReply::error(WorkerError::MissingFingerprint));
        };
        let blank = ledger.is_blank(now_secs(), self.recheck_secs());
        self.count_change(ledger)?;
        // The attempt is counted before Gumroad is asked, so that no failure can hide it; but a
        // ledger that holds nothing is written only once Gumroad has answered for the key: an
        // activation of a made-up key during an upstream outage must not leave storage behind.
        if !blank {
            self.save(ledger).await?;
        }
        self.settle(ledger).await?;
        let (seen, _, dirty) = self.judge(ledger).await?;
        let product_id = self.cmd.product_id.as_str();
        if !seen.verdict.valid {
            // A key Gumroad does not know keeps nothing: not even the attempt's count.
            let unknown = seen.reason == Reason::NotFound && blank;
            if unknown {
                ledger.changes.clear();
                ledger.revoked = None;
            }
            if unknown || dirty {
                self.save(ledger).await?;
            }
            let mut extra = Vec::new();
            signable(&mut extra, seen.at, self.exp_of(&seen));
            return Ok(LedgerReply::ok(verdict_body(
                &seen.verdict,
                product_id,
                extra,
            )));
        }
        let now = now_secs();
        ledger.prune(now);
        let limit = seat_limit(self.cfg.max_uses, seen.seats);
        let exp = self.exp_of(&seen);
        let moved = match ledger.admit(&device, limit, now) {
            Admission::Existing(at) => {
                // The same device again (a re-install): its instance, and no use counted. One
                // beyond a lowered limit gets no token.
                if Ledger::over_limit(at, limit) {
                    self.save(ledger).await?;
                    let v = Verdict {
                        valid: false,
                        reason: Reason::OverSeatLimit,
                        ..seen.verdict
                    };
                    return Ok(LedgerReply::ok(verdict_body(&v, product_id, vec![])));
                }
                if let Some(inst) = ledger.instances.get_mut(at) {
                    if self.signs() {
                        inst.tokens_until = inst.tokens_until.max(exp);
                    }
                }
                self.save(ledger).await?;
                let existing = ledger.instances.get(at).cloned();
                return match existing {
                    Some(inst) => Ok(self.granted(&seen, &inst)),
                    None => Err(LedgerReply::misconfigured(
                        "LicenseLedger: instance vanished",
                    )),
                };
            }
            Admission::Full { retry_after } => {
                self.save(ledger).await?;
                return Ok(full_reply(limit, ledger.instances.len(), retry_after));
            }
            Admission::Free => None,
            Admission::Move(at) => Some(at),
        };
        let Some(random) = platform::random_bytes::<16>() else {
            return Err(LedgerReply::misconfigured(
                "crypto.getRandomValues unavailable",
            ));
        };
        let mut id = String::from("inst_");
        id.push_str(&base64url(&random));
        let mut instance = Instance {
            id,
            name: self.cmd.name.clone(),
            device: Some(device),
            activated_at: String::from(js_sys::Date::new_0().to_iso_string()),
            tokens_until: 0,
        };
        // The move is spent before the count is sent: if the change fails, the freed seat no
        // longer counts and the retry takes it as a free one, still within limit + 1 devices.
        if let Some(f) = moved.and_then(|at| ledger.freed.get_mut(at)) {
            f.moved = true;
        }
        // Written ahead: if this object is evicted mid-call, the next request settles it.
        ledger.pending = Some(Pending::Increment {
            before: seen.verdict.uses,
            instance: instance.clone(),
        });
        self.save(ledger).await?;
        self.forget_recent();
        let counted = upstream::ask(&self.cfg, &self.cmd.key, product_id, true).await;
        let uses = match counted {
            Ok(s) if s.from_answer && s.valid => Some(s.uses),
            Ok(s) => {
                // The license turned invalid between the check and the count. An error answer
                // (unknown, disabled) counted nothing; a full answer (refunded) did, and the
                // use is given back so Gumroad's count stays equal to the instances.
                ledger.pending = None;
                self.save(ledger).await?;
                if s.from_answer && s.uses > seen.verdict.uses {
                    let given_back = self.cfg.can_decrement()
                        && upstream::decrement(&self.cfg, &self.cmd.key, product_id)
                            .await
                            .is_ok();
                    if !given_back {
                        log("LicenseLedger: a use counted for a license that turned invalid was not given back");
                    }
                }
                let mut extra = Vec::new();
                signable(&mut extra, s.at, self.exp_of(&s));
                return Ok(LedgerReply::ok(verdict_body(&s.verdict, product_id, extra)));
            }
            // Gumroad refused before counting (429): nothing to settle.
            Err(first) => Some(self.after_failed_change(ledger, first).await?),
        };
        ledger.pending = None;
        if self.signs() {
            instance.tokens_until = exp;
        }
        ledger.take_seat(instance.clone());
        self.save(ledger).await?;
        let seen = Seen {
            verdict: Verdict {
                uses: uses.unwrap_or(seen.verdict.uses),
                ..seen.verdict
            },
            ..seen
        };
        Ok(self.granted(&seen, &instance))
    }

    /// After the pending count change failed with `first`: the count it left, when the change
    /// was applied after all; else the answer to give. A 429 was refused before counting, so
    /// nothing stays pending. Any other failure may have been applied (sent, answer lost or
    /// unreadable): the count is read back; if that read fails too, the change stays pending
    /// and the license's next request settles it.
    async fn after_failed_change(
        &self,
        ledger: &mut Ledger,
        first: Failure,
    ) -> Result<u64, LedgerReply> {
        if first.cooldown {
            ledger.pending = None;
            self.save(ledger).await?;
            return Err(LedgerReply::failure(&first));
        }
        match upstream::ask(&self.cfg, &self.cmd.key, &self.cmd.product_id, false).await {
            Ok(now) if now.from_answer => {
                if ledger.pending.take().is_some_and(|p| applied(&p, now.uses)) {
                    Ok(now.uses)
                } else {
                    self.save(ledger).await?;
                    Err(LedgerReply::failure(&first))
                }
            }
            _ => Err(LedgerReply::failure(&first)),
        }
    }

    fn granted(&self, seen: &Seen, instance: &Instance) -> LedgerReply {
        let mut extra = vec![("instance", instance.public_json())];
        if self.cfg.expose_email {
            if let Some(e) = seen.email.as_deref() {
                extra.push(("email", J::Str(e)));
            }
        }
        signable(&mut extra, seen.at, self.exp_of(seen));
        LedgerReply::ok(verdict_body(&seen.verdict, &self.cmd.product_id, extra))
    }

    /// Frees the instance named in the command. `cool` (a buyer's deactivation): a seat whose
    /// tokens still verify offline keeps counting until they expire; the seller's frees it at
    /// once and counts no change.
    async fn deactivate(
        &self,
        ledger: &mut Ledger,
        cool: bool,
    ) -> Result<LedgerReply, LedgerReply> {
        // Nothing to free (and nothing stored for a made-up key): no count, no storage.
        if ledger.instances.is_empty() && ledger.pending.is_none() {
            return Err(LedgerReply::error(WorkerError::UnknownInstance));
        }
        if cool {
            self.count_change(ledger)?;
            self.save(ledger).await?;
        }
        self.settle(ledger).await?;
        let id = self.cmd.instance_id.clone().unwrap_or_default();
        if ledger.position(&id).is_none() {
            return Err(LedgerReply::error(WorkerError::UnknownInstance));
        }
        if !self.cfg.can_decrement() {
            return Err(LedgerReply::misconfigured(
                "deactivate needs GUMROAD_ACCESS_TOKEN (edit_products) or MATON_API_KEY",
            ));
        }
        // The count before, to settle a decrement whose answer is lost.
        self.forget_recent();
        let before = match self.fresh().await.0 {
            Ok(s) if s.from_answer => s.uses,
            Ok(_) => return Err(LedgerReply::failure(&Failure::no_count())),
            Err(f) => return Err(LedgerReply::failure(&f)),
        };
        ledger.pending = Some(Pending::Decrement {
            before,
            id: id.clone(),
            cool,
        });
        self.save(ledger).await?;
        let uses = match upstream::decrement(&self.cfg, &self.cmd.key, &self.cmd.product_id).await {
            Ok(uses) => uses,
            Err(first) => self.after_failed_change(ledger, first).await?,
        };
        self.forget_recent();
        ledger.pending = None;
        let now = now_secs();
        // Cooled by the tokens recorded for it, whether or not a key signs now: tokens signed
        // before a signing key was removed still verify in apps.
        ledger.free_seat(&id, now, cool);
        ledger.prune(now);
        self.save(ledger).await?;
        Ok(LedgerReply::ok(
            J::Obj(vec![
                ("deactivated", J::Bool(true)),
                ("uses", J::Num(uses as f64)),
            ])
            .to_json(),
        ))
    }

    async fn instances(&self, ledger: &mut Ledger) -> Result<LedgerReply, LedgerReply> {
        // The list must show a settled change; if it cannot be settled now, say so.
        let unsettled = self.settle(ledger).await.is_err();
        let now = now_secs();
        let list: Vec<J> = ledger.instances.iter().map(Instance::public_json).collect();
        let mut fields = vec![
            ("product_id", J::Str(&self.cmd.product_id)),
            ("instances", J::Arr(list)),
        ];
        if let Some(m) = self.cfg.max_uses {
            fields.push(("max_uses_per_seat", J::Num(m as f64)));
        }
        // Seats freed while the deactivated devices' offline tokens still verify: when each
        // is free again (a buyer waiting to move to another computer reads this).
        let mut untils: Vec<i64> = ledger.cooling(now).map(|f| f.until).collect();
        crate::core::ledger::sort_small(&mut untils);
        let cooling: Vec<String> = untils.into_iter().map(iso).collect();
        if !cooling.is_empty() {
            fields.push((
                "cooling",
                J::Arr(
                    cooling
                        .iter()
                        .map(|t| J::Obj(vec![("free_at", J::Str(t))]))
                        .collect(),
                ),
            ));
            fields.push(("move_available", J::Bool(ledger.move_available(now))));
        }
        if let Some(r) = ledger.revoked.filter(|r| r.lasting) {
            fields.push(("revoked", J::Str(r.reason.as_str())));
        }
        if unsettled {
            fields.push(("pending", J::Bool(true)));
        }
        Ok(LedgerReply::ok(J::Obj(fields).to_json()))
    }

    /// A ping is a hint: it makes the ledger ask Gumroad, and Gumroad's answer decides.
    async fn ping(&self, ledger: &mut Ledger) -> Result<LedgerReply, LedgerReply> {
        let effect = ping_effect(
            &self.cmd.event,
            self.cmd.refunded.as_deref(),
            self.cmd.chargebacked.as_deref(),
        );
        let now = now_secs();
        let was_blank = ledger.is_blank(now, self.recheck_secs());
        let mut gumroad = None;
        if effect != PingEffect::Ignore {
            self.forget_recent();
            gumroad = self.fresh().await.0.ok().map(|s| s.verdict);
        }
        let changed = ledger.apply_ping(effect, gumroad.as_ref(), now);
        // A ledger that held nothing is stored only for a key Gumroad knows: pings naming
        // made-up keys (or keys Gumroad could not be asked about) leave no storage behind.
        let known = gumroad.is_some_and(|v| v.reason != Reason::NotFound);
        let keep = !was_blank || known;
        if changed && keep {
            self.save(ledger).await?;
        }
        Ok(LedgerReply::ok(
            J::Obj(vec![("changed", J::Bool(changed))]).to_json(),
        ))
    }

    /// The seller's view: every device, freed seat and revocation, as stored (no upstream call).
    fn admin_instances(&self, ledger: &Ledger) -> LedgerReply {
        let now = now_secs();
        let instances: Vec<(String, &Instance)> = ledger
            .instances
            .iter()
            .map(|i| (iso(i.tokens_until), i))
            .collect();
        let list: Vec<J> = instances
            .iter()
            .map(|(until, i)| {
                let mut f = vec![
                    ("id", J::Str(&i.id)),
                    ("name", J::Str(&i.name)),
                    ("activated_at", J::Str(&i.activated_at)),
                ];
                if i.tokens_until > now {
                    f.push(("offline_until", J::Str(until)));
                }
                J::Obj(f)
            })
            .collect();
        let freed: Vec<(String, &crate::core::ledger::Freed)> = ledger
            .freed
            .iter()
            .filter(|f| f.until > now)
            .map(|f| (iso(f.until), f))
            .collect();
        let freed_list: Vec<J> = freed
            .iter()
            .map(|(until, f)| {
                J::Obj(vec![
                    ("id", J::Str(&f.id)),
                    ("free_at", J::Str(until)),
                    ("moved", J::Bool(f.moved)),
                ])
            })
            .collect();
        let revoked_at = ledger.revoked.map(|r| iso(r.at));
        let mut fields = vec![
            ("product_id", J::Str(&self.cmd.product_id)),
            ("instances", J::Arr(list)),
            ("cooling", J::Arr(freed_list)),
        ];
        if let (Some(r), Some(at)) = (ledger.revoked, revoked_at.as_deref()) {
            let standing = ledger
                .standing_revocation(now, self.recheck_secs())
                .is_some();
            fields.push((
                "revoked",
                J::Obj(vec![
                    ("reason", J::Str(r.reason.as_str())),
                    ("lasting", J::Bool(r.lasting)),
                    ("standing", J::Bool(standing)),
                    ("at", J::Str(at)),
                ]),
            ));
        }
        if let Some(m) = self.cfg.max_uses {
            fields.push(("max_uses_per_seat", J::Num(m as f64)));
        }
        if ledger.pending.is_some() {
            fields.push(("pending", J::Bool(true)));
        }
        LedgerReply::ok(J::Obj(fields).to_json())
    }

    /// The seller frees a seat at once: an active instance (its use given back upstream), or a
    /// freed seat still cooling down.
    async fn admin_deactivate(&self, ledger: &mut Ledger) -> Result<LedgerReply, LedgerReply> {
        let id = self.cmd.instance_id.clone().unwrap_or_default();
        if let Some(at) = ledger.freed.iter().position(|f| f.id == id) {
            ledger.freed.remove(at);
            self.save(ledger).await?;
            return Ok(LedgerReply::ok(
                J::Obj(vec![
                    ("deactivated", J::Bool(true)),
                    ("cooling_ended", J::Bool(true)),
                ])
                .to_json(),
            ));
        }
        self.deactivate(ledger, false).await
    }

    /// The seller lifts a revocation: the next verify asks Gumroad, whose answer decides.
    async fn admin_unrevoke(&self, ledger: &mut Ledger) -> Result<LedgerReply, LedgerReply> {
        let was = ledger.revoked.take();
        self.forget_recent();
        if was.is_some() {
            self.save(ledger).await?;
        }
        let mut fields = vec![("unrevoked", J::Bool(was.is_some()))];
        if let Some(r) = &was {
            fields.push(("reason", J::Str(r.reason.as_str())));
        }
        Ok(LedgerReply::ok(J::Obj(fields).to_json()))
    }
}
