// `make demo`: runs the demo stack until Ctrl-C. With DEMO_ONCE=1 it instead drives the page
// once in headless Chromium (activates this browser, checks its seat online and offline), saves
// test-output/demo.png and exits (0 = the account showed and both checks were ok).
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
  worker JWKS    ${demo.jwksUrl}   (public keys of this run's signing key; the page gets them from its /config.json)
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
    // This browser takes a seat through the Devices panel (LicenseClient), then the Offline
    // check panel checks it online and offline (the client's fetch failing): both must be ok.
    await page.click("#activate-this");
    await page.waitForSelector("#devices-notice[data-code]:not([hidden]), #devices-error:not([hidden])", { timeout: 15_000 });
    const check = async (kind) => {
      await page.click(`#check-${kind}`);
      await page.waitForSelector(`#offline-verdict[data-kind=${kind}]:not([hidden]), #offline-error:not([hidden])`, { timeout: 15_000 });
      return (await page.isHidden("#offline-error")) ? page.textContent("#offline-verdict") : `error: ${await page.textContent("#offline-error")}`;
    };
    const activated = (await page.isHidden("#devices-error")) ? await page.textContent("#devices-notice") : `error: ${await page.textContent("#devices-error")}`;
    const code = await page.getAttribute("#devices-notice", "data-code");
    const online = code === "activated" ? await check("online") : "not checked";
    const offline = code === "activated" ? await check("offline") : "not checked";
    const name = await page.textContent("#account dd");
    const out = path.join(repoRoot, "test-output");
    await mkdir(out, { recursive: true });
    await page.screenshot({ path: path.join(out, "demo.png"), fullPage: true });
    console.log(`account: ${name}\nactivated: ${activated}\nonline: ${online}\noffline: ${offline}\nscreenshot: test-output/demo.png`);
    ok = name === "John Smith" && code === "activated" && /^✔ Valid online — reason: ok/.test(online) && /^✔ Valid offline — reason: ok/.test(offline);
  } catch (e) {
    console.error(`demo smoke check failed: ${e.message}`);
  } finally {
    await browser.close();
    await demo.stop();
  }
  process.exit(ok ? 0 : 1);
}
