//! Data behind the storefront routes: profile extras (theme, custom HTML), pages, catalog
//! extras (covers, thumbnails, bundle contents, reviews, rich content, refund policies),
//! upsells, UTM links, emails and workflows.

use serde::{Deserialize, Serialize};

use crate::model::Data;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorefrontData {}

/// The built-in storefront data, derived from the classic seed `d`.
pub fn seed(_d: &Data) -> StorefrontData {
    StorefrontData::default()
}
