//! Back-office routes: files (multipart presign/complete/abort), direct uploads, the media
//! library, sales summary and exports, payouts, tax forms, earnings, and the first-party
//! Gumhead gateway (refused). The S3 stand-in the upload URLs point to is `s3`.

pub use crate::dates;
mod gumhead;
pub mod media;
pub mod payouts;
pub mod s3;
mod sales_reports;
mod tax;
pub mod uploads;
pub mod util;

pub mod router;
#[cfg(test)]
mod tests;

use super::ApiRequest;
use crate::http::Resp;
use crate::state::State;
