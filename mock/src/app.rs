//! The mock's shared state and run settings, which every host serves from.

use std::sync::{Arc, Mutex};

use crate::faults::Dice;
use crate::state::State;

pub struct App {
    pub state: Mutex<State>,
    /// Multiplies Gumroad's webhook retry delays (60/180/600 s).
    pub webhook_retry_scale: f64,
    /// Accept loopback `post_url`s (Gumroad refuses them).
    pub allow_loopback_webhooks: bool,
    /// Probability of a random fault (503, 429 or dropped connection) on every API request.
    pub fault_rate: f64,
    pub dice: Mutex<Dice>,
}

pub type Shared = Arc<App>;

pub struct Settings {
    pub webhook_retry_scale: f64,
    pub allow_loopback_webhooks: bool,
    pub fault_rate: f64,
}

impl App {
    pub fn new(state: State, settings: Settings) -> Shared {
        Arc::new(App {
            state: Mutex::new(state),
            webhook_retry_scale: settings.webhook_retry_scale,
            allow_loopback_webhooks: settings.allow_loopback_webhooks,
            fault_rate: settings.fault_rate,
            dice: Mutex::new(Dice::new(0x5EED)),
        })
    }

    pub fn roll(&self) -> f64 {
        self.dice.lock().unwrap_or_else(|p| p.into_inner()).roll()
    }

    pub fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A handler that panicked leaves plain data behind; keep serving.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}
