import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertNoSecretLeaked } from "./harness.ts";
import { browserUnavailable, dumpDom, screenshot } from "./chromium.ts";
import { SCENARIO_RECORDS, startScenario, type Scenario } from "./status-scenario.ts";
import { readPage } from "../http/page-dom.ts";

/**
 * The status page of dist/ddnsd in a real browser (Debian's chromium, headless): the DOM chromium builds from it
 * holds the records, the detected addresses and the history, and a provider's error text with markup in it stays
 * text (no script element, no handler). Skipped only when chromium is absent, and never under .ci/run.
 */
setDefaultTimeout(30_000);
const HOSTILE = "<script>document.title='owned'</script><img src=x onerror=document.title=1>";
const skip = browserUnavailable();
if (skip) console.warn(`skipping the status page's browser test: ${skip}`);

describe.skipIf(skip !== undefined)("the status page of dist/ddnsd in chromium", () => {
  let s: Scenario;
  let dom: string;
  const shots = mkdtempSync(join(tmpdir(), "ddnsd-shots-"));
  beforeAll(async () => {
    s = await startScenario(HOSTILE);
    dom = await dumpDom(s.url);
  });
  afterAll(async () => {
    await s?.stop();
    rmSync(shots, { recursive: true, force: true });
    assertNoSecretLeaked();
  });

  it("shows every record with its address and state, the failing ones with their error as quoted text", async () => {
    const view = await readPage(dom);
    expect(view.records.map((r) => [r.key, r.cells.Address, r.cells.State])).toEqual([
      ...SCENARIO_RECORDS.map((n) => [`${n}/A`, "203.0.113.71", "failing"]),
      ...SCENARIO_RECORDS.map((n) => [`${n}/AAAA`, "2001:db8::70", "ok"]),
    ]);
    const error = view.records[0]!.cells["Last error"]!;
    expect(error).toStartWith("“while updating the record, Cloudflare ");
    expect(error).toContain(`code 9109 "${HOSTILE}"`);
  });

  it("shows the detected addresses per family with their source", async () => {
    const view = await readPage(dom);
    expect(view.addresses).toEqual({
      ipv4: { address: "203.0.113.72", source: `${s.w.cf.origin}/v4`, error: null },
      ipv6: { address: "2001:db8::70", source: `${s.w.cf.origin}/v6`, error: null },
    });
  });

  it("shows the history newest first: the refused change, the change, the creations, the first detections", async () => {
    const view = await readPage(dom);
    const summary = view.history.map((e) => `${e.kind} ${e.key} ${e.text.slice(e.text.indexOf(")") + 2)}`.split(" Cloudflare")[0]);
    expect(summary).toEqual([
      "record nas.example.com/A A record nas.example.com update failed: 203.0.113.71 → 203.0.113.72 “while updating the record,",
      "record home.example.com/A A record home.example.com update failed: 203.0.113.71 → 203.0.113.72 “while updating the record,",
      `address ipv4 IPv4 address changed: 203.0.113.71 → 203.0.113.72 from ${s.w.cf.origin}/v4`,
      "record nas.example.com/A A record nas.example.com updated: 203.0.113.70 → 203.0.113.71",
      "record home.example.com/A A record home.example.com updated: 203.0.113.70 → 203.0.113.71",
      `address ipv4 IPv4 address changed: 203.0.113.70 → 203.0.113.71 from ${s.w.cf.origin}/v4`,
      "record nas.example.com/AAAA AAAA record nas.example.com created: 2001:db8::70",
      "record home.example.com/AAAA AAAA record home.example.com created: 2001:db8::70",
      "record nas.example.com/A A record nas.example.com created: 203.0.113.70",
      "record home.example.com/A A record home.example.com created: 203.0.113.70",
      `address ipv6 IPv6 address detected: 2001:db8::70 from ${s.w.cf.origin}/v6`,
      `address ipv4 IPv4 address detected: 203.0.113.70 from ${s.w.cf.origin}/v4`,
    ]);
    expect(view.sparkTotal).toBe("12");
  });

  it("keeps the provider's markup inert in the browser: no script or image element, no handler, the title untouched", async () => {
    const view = await readPage(dom);
    expect({ scripts: view.scripts, handlers: view.handlers, external: view.external, title: view.title }).toEqual({ scripts: 0, handlers: [], external: [], title: "ddnsd — not ready" });
    expect(dom).not.toContain("<img");
  });

  it.each([
    { name: "a desktop window, light", file: "desktop-light.png", width: 1024, height: 900, dark: false },
    { name: "a phone, dark", file: "phone-dark.png", width: 390, height: 844, dark: true },
  ])("renders a screenshot on $name", async ({ file, width, height, dark }) => {
    const path = join(shots, file);
    await screenshot(s.url, path, { width, height, dark });
    const png = readFileSync(path);
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) }).toEqual({ width, height });
  });
});
