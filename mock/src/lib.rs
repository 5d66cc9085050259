//! gumroad-mock as a library: Gumroad's rules, routes and control API (the core), and the
//! native host (`server`, the tokio/hyper binary's HTTP plumbing). See mock/README.md.

pub mod app;
pub mod clock;
pub mod control;
pub mod dates;
pub mod dispatch;
pub mod faults;
pub mod http;
pub mod ids;
pub mod inflect;
pub mod maton;
pub mod model;
pub mod model_office;
pub mod model_storefront;
pub mod oauth;
pub mod outbox;
pub mod rack;
pub mod render;
pub mod routes;
pub mod seed;
pub mod seed_office;
pub mod seed_storefront;
#[cfg(feature = "native")]
pub mod server;
pub mod state;
pub mod throttle;
pub mod urlenc;
pub mod webhooks;
