// Runs the token cases inside workerd (via Miniflare, see token.test.mjs): any request answers
// with the case results as JSON. Imports the verifier by its repository path, as an app bundling
// js/license-token.js into its own Worker would.
import { verifyLicenseToken, licenseKeyHash, deviceHash } from "../../js/license-token.js";
import { runTokenCases } from "./cases.mjs";

export default {
  async fetch() {
    const results = await runTokenCases({ verifyLicenseToken, licenseKeyHash, deviceHash, crypto: globalThis.crypto });
    return Response.json(results);
  },
};
