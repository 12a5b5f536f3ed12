import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertNoSecretLeaked, runBinary, spawnDaemon } from "./harness.ts";

/**
 * What `check` (and start-up) tell an operator about settings the provider or the file system would refuse later:
 * a TTL outside the provider's range, a token pasted with its quotes, a plain-http provider URL to another machine,
 * a state directory the daemon's user cannot write, and a mistyped variable next to the error it causes.
 */
setDefaultTimeout(60_000);
afterAll(assertNoSecretLeaked);

const TOKEN = "blackbox-advice-secret-5d2e";
const CF = { DDNS_PROVIDER_TYPE: "cloudflare", DDNS_PROVIDER_API_TOKEN: TOKEN, DDNS_RECORDS: "home.example.com" };
const PDNS = { DDNS_PROVIDER_TYPE: "powerdns", DDNS_PROVIDER_API_TOKEN: TOKEN, DDNS_RECORDS: "home.example.com" };

describe("check validates DDNS_RECORD_TTL per provider", () => {
  it.each([
    { name: "30 at Cloudflare, which refuses it", env: { ...CF, DDNS_RECORD_TTL: "30" }, line: 'Configuration error: DDNS_RECORD_TTL must be auto or a number of seconds from 60 to 86400 for cloudflare (got "30").' },
    { name: "1 at Cloudflare points to auto", env: { ...CF, DDNS_RECORD_TTL: "1" }, line: `Configuration error: DDNS_RECORD_TTL must be auto or a number of seconds from 60 to 86400 for cloudflare (got "1"); DDNS_RECORD_TTL=auto is Cloudflare's automatic TTL (1 in its API).` },
  ])("refuses $name", async ({ env, line }) => {
    const r = await runBinary(["check"], env);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 1, stderr: [line] });
  });

  it("accepts 30 at PowerDNS, whose range starts there", async () => {
    const r = await runBinary(["check"], { ...PDNS, DDNS_PROVIDER_API_URL: "http://127.0.0.1:8081", DDNS_RECORD_TTL: "30" });
    expect(r.code).toBe(0);
    expect(r.lines).toContain("DDNS_RECORD_TTL=30");
  });
});

describe("check warns about settings that work but leak or fail later", () => {
  it("a token pasted with its quotes gets a hint that does not show it", async () => {
    const r = await runBinary(["check"], { ...CF, DDNS_PROVIDER_API_TOKEN: `"${TOKEN}"` });
    expect(r.code).toBe(0);
    expect(r.lines.filter((l) => l.startsWith("warning: "))).toEqual([
      "warning: DDNS_PROVIDER_API_TOKEN: the value begins and ends with a double quote, which becomes part of the secret; remove the quotes unless they really belong to it.",
    ]);
  });

  const PLAIN = 'DDNS_PROVIDER_API_URL uses plain http:// to "192.0.2.1:8081": the provider secret crosses the network unencrypted; use https:// (or a loopback address for a server on this machine).';

  it("an http:// provider URL to another machine: check warns", async () => {
    const r = await runBinary(["check"], { ...PDNS, DDNS_PROVIDER_API_URL: "http://192.0.2.1:8081" });
    expect(r.code).toBe(0);
    expect(r.lines.filter((l) => l.startsWith("warning: "))).toEqual([`warning: ${PLAIN}`]);
  });

  it("an http:// provider URL to another machine: start-up warns", async () => {
    const d = spawnDaemon(["run"], { ...PDNS, DDNS_PROVIDER_API_URL: "http://192.0.2.1:8081", DDNS_HTTP_ADDR: "off", DDNS_IP_VERSIONS: "4", DDNS_IP_SOURCE_URLS_V4: "http://127.0.0.1:9/", DDNS_SHUTDOWN_TIMEOUT: "2s" });
    await d.waitForLine("Ready to monitor IP changes");
    d.kill("SIGTERM");
    await d.exited();
    expect(d.lines.filter((l) => l.includes("plain http://"))).toEqual([`WARN ${PLAIN}`]);
  });

  it("an http:// provider URL on loopback: no warning", async () => {
    const r = await runBinary(["check"], { ...PDNS, DDNS_PROVIDER_API_URL: "http://127.0.0.1:8081" });
    expect(r.lines.filter((l) => l.startsWith("warning: "))).toEqual([]);
  });
});

describe("a mistyped variable is named next to the error it causes", () => {
  it.each([{ command: "check" }, { command: "run" }])("$command: the error line, then the hint", async ({ command }) => {
    const r = await runBinary([command], { ...CF, DDNS_RECORDS: undefined, DDNS_RECRDS: "home.example.com" });
    expect({ code: r.code, stderr: r.stderr }).toEqual({
      code: 1,
      stderr: ["Configuration error: DDNS_RECORDS is required.", "warning: Unknown variable DDNS_RECRDS is ignored; did you mean DDNS_RECORDS?"],
    });
  });
});

describe("the state directory as a non-root user (uid 65534)", () => {
  const AS_NOBODY = ["setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups"];
  let dir = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "ddnsd-state-dir-"));
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, "root-owned"), { mode: 0o755 });
    mkdirSync(join(dir, "nobody-owned"), { mode: 0o755 });
    chownSync(join(dir, "nobody-owned"), 65534, 65534);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const env = (sub: string) => ({ ...CF, DDNS_STATE_STORE_TYPE: "file", DDNS_STATE_STORE_PATH: join(dir, sub, "state.json") });

  it.each([{ command: "check" }, { command: "run" }, { command: "once" }])("$command refuses a root-owned directory with exit 1", async ({ command }) => {
    const r = await runBinary([command], env("root-owned"), 20_000, { prefix: AS_NOBODY });
    const line = `Configuration error: DDNS_STATE_STORE_PATH is in a directory uid 65534 cannot write: ${JSON.stringify(join(dir, "root-owned"))} (permission denied); make it writable for the daemon's user (e.g. chown) or choose another path.`;
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 1, stderr: [line] });
  });

  it("check accepts the user's own directory, and one it can create there", async () => {
    for (const sub of ["nobody-owned", "nobody-owned/new"]) {
      const r = await runBinary(["check"], env(sub), 20_000, { prefix: AS_NOBODY });
      expect({ sub, code: r.code, last: r.lines.at(-1) }).toEqual({ sub, code: 0, last: "Configuration is valid: 1 record(s), provider cloudflare" });
    }
  });
});
