// LicenseClient (js/license-client.js, through the js/license.js entry) in Node and in headless
// Chromium: the shared cases (cases.mjs) against the in-process stand-in Worker (standin.mjs).
// Nothing here leaves the machine: the stand-in is a fetch function, and the page comes from a
// static server on 127.0.0.1.
//
// Once the Worker's side of the contract lands, the same flows belong against the real Worker
// (workerd via Miniflare, gumroad-mock upstream) from Node, Deno and Bun: activate → check →
// deactivate with its JWKS compiled in; the device hash and iss the Worker signs; a seat
// deactivated from another device (unknown_instance), a refund ping (refunded, then offline
// too), a storage copied to another fingerprint (wrong_device from the Worker), the 409 at the
// seat limit with its Retry-After, a 429 from the per-key limit, and an Origin not allowed.
import { test } from "node:test";
import { reportCases as reportShared, inChromium } from "../support/cases.mjs";
import * as lib from "../../js/license.js";
import { runLicenseCases, LICENSE_CASE_NAMES } from "./cases.mjs";

const reportCases = (t, results) => reportShared(t, results, LICENSE_CASE_NAMES);

test("[node] license client cases", async (t) => {
  await reportCases(t, await runLicenseCases(lib));
});

test("[chromium] license client cases", async (t) => {
  await reportCases(t, await inChromium("license/index.html", async () => {
    const lib = await import("/js/license.js");
    const { runLicenseCases } = await import("/tests/license/cases.mjs");
    return runLicenseCases({ ...lib });
  }));
});
