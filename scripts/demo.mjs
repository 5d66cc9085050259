// `make demo`: runs the demo stack until Ctrl-C. With DEMO_ONCE=1 it instead drives the page
// once in headless Chromium, saves test-output/demo.png and exits (0 = the page showed data).
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { startDemo, launchChromium } from "./demo-lib.mjs";
import { repoRoot } from "../tests/support/mock.mjs";

const once = process.env.DEMO_ONCE === "1";
const port = (name, dflt) => (once ? 0 : Number(process.env[name] ?? dflt));

const demo = await startDemo({
  mockPort: port("MOCK_PORT", 4010),
  pagePort: port("DEMO_PORT", 4011),
  workerPort: port("WORKER_PORT", 4012),
});

console.log(`
gumroad-wasm demo is running (all on 127.0.0.1):
  demo page      ${demo.pageUrl}/          <- open this
  gumroad-mock   ${demo.mockUrl}/v2        (Maton: ${demo.mockUrl}/gumroad/v2, control: ${demo.mockUrl}/__mock)
  edge worker    ${demo.workerUrl}/v1/licenses/verify   (also activate, deactivate, instances)
  worker JWKS    ${demo.jwksUrl}   (public keys of this run's signing key)
`);

if (!once) {
  console.log("Press Ctrl-C to stop.");
  const stop = async () => {
    await demo.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
} else {
  let ok = false;
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(`${demo.pageUrl}/`);
    await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
    await page.fill("#license-key", "DEC0DE00-00000000-00000000-00000001");
    await page.click("#check-worker");
    await page.waitForSelector("#verdict[data-reason]", { timeout: 15_000 });
    // The verify answer is signed: check its token offline against the worker's JWKS.
    await page.click("#check-offline");
    await page.waitForSelector("#offline-verdict[data-reason]", { timeout: 15_000 });
    const name = await page.textContent("#account dd");
    const verdict = await page.textContent("#verdict");
    const offline = await page.textContent("#offline-verdict");
    const out = path.join(repoRoot, "test-output");
    await mkdir(out, { recursive: true });
    await page.screenshot({ path: path.join(out, "demo.png"), fullPage: true });
    console.log(`account: ${name}\nverdict: ${verdict}\noffline: ${offline}\nscreenshot: test-output/demo.png`);
    ok = name === "John Smith" && verdict.includes("Valid") && /Valid offline — reason: ok/.test(offline);
  } catch (e) {
    console.error(`demo smoke check failed: ${e.message}`);
  } finally {
    await browser.close();
    await demo.stop();
  }
  process.exit(ok ? 0 : 1);
}
