//! Uploads: Gumroad's multipart presign flow for product files, ActiveStorage direct uploads
//! for images, and the S3 stand-in (`/__s3/...`) the presigned URLs point to.
//!
//! The two functions below are what other route groups use (covers, thumbnails and media take a
//! `signed_blob_id`; product `files[]` take a `file_url` from `/files/complete`).

use crate::state::State;

/// A blob reserved with `POST /v2/direct_uploads` whose bytes were uploaded.
#[derive(Clone, Debug)]
pub struct BlobInfo {
    pub filename: String,
    pub content_type: String,
    pub byte_size: u64,
    /// Where the mock serves the bytes.
    pub url: String,
}

/// The uploaded blob for `signed_id`, when `seller_id` reserved it and its bytes arrived.
pub fn resolve_blob(_state: &State, _seller_id: &str, _signed_id: &str) -> Option<BlobInfo> {
    None
}

/// Whether `url` is a `file_url` returned by `POST /v2/files/complete` for `seller_id`.
pub fn completed_file_url(_state: &State, _seller_id: &str, _url: &str) -> bool {
    false
}
