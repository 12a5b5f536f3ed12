/**
 * `bun scripts/status-page-screenshot.ts`: regenerates docs/status-page.png (and docs/status-page-dark.png, a phone
 * in dark mode) from the real daemon (dist/ddnsd) against the local fakes, with Debian's chromium headless: the
 * scenario of the browser test (tests/blackbox/status-scenario.ts) with an ordinary refusal instead of a hostile one.
 */
import { join } from "node:path";
import { startScenario } from "../tests/blackbox/status-scenario.ts";
import { CHROMIUM, screenshot } from "../tests/blackbox/chromium.ts";

if (!CHROMIUM) throw new Error("chromium is not installed: apt-get install chromium");
const docs = join(import.meta.dir, "..", "docs");
const s = await startScenario("Unauthorized to access requested resource");
try {
  await screenshot(s.url, join(docs, "status-page.png"), { width: 1024, height: 1280 });
  await screenshot(s.url, join(docs, "status-page-dark.png"), { width: 390, height: 1400, dark: true });
  console.log(`wrote ${join(docs, "status-page.png")} and ${join(docs, "status-page-dark.png")}`);
} finally {
  await s.stop();
}
