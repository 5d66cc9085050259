//! gumroad-mock as a library: Gumroad's rules, routes and control API (the core), and the
//! native host (`server`, the tokio/hyper binary's HTTP plumbing). See mock/README.md.

pub mod app;
pub mod clock;
pub mod control;
pub mod dispatch;
pub mod faults;
pub mod http;
pub mod maton;
pub mod model;
pub mod model_office;
pub mod model_storefront;
pub mod oauth;
pub mod rack;
pub mod render;
pub mod routes;
pub mod seed;
#[cfg(feature = "native")]
pub mod server;
pub mod state;
pub mod throttle;
pub mod urlenc;
pub mod webhooks;
