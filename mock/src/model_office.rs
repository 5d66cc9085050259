//! Data behind the back-office routes: uploads (multipart files, direct-upload blobs), the media
//! library, payouts, tax forms and earnings, and OAuth applications, grants and device codes.

use serde::{Deserialize, Serialize};

use crate::model::Data;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficeData {}

/// The built-in back-office data, derived from the classic seed `d`.
pub fn seed(_d: &Data) -> OfficeData {
    OfficeData::default()
}
