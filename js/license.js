// The `gumroad-wasm/license` entry: everything an app needs to hold a seat and check it offline,
// with no wasm behind it (scripts/build.sh bundles this file into entries/license.js and
// entries/license.cjs; the main entries re-export the same names).
export { LicenseClient, LicenseClientError } from "./license-client.js";
export { verifyLicenseToken, licenseKeyHash, deviceHash } from "./license-token.js";
