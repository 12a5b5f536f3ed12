import { VARIABLE_DOCS } from "../../src/config/variable-docs.ts";
import { ALL_PROVIDERS } from "../../src/providers/registry.ts";
import { afterAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { assertNoSecretLeaked, runBinary } from "./harness.ts";
import { VERSION } from "../../src/core/version.ts";
import { knownVariables } from "../../src/config/known-variables.ts";

const TOKEN = "blackbox-cli-secret-7f3a";
const BASE = { DDNS_PROVIDER_TYPE: "cloudflare", DDNS_PROVIDER_API_TOKEN: TOKEN, DDNS_RECORDS: "home.example.com" };

setDefaultTimeout(60_000);
afterAll(assertNoSecretLeaked);

describe("dist/ddnsd command line", () => {
  it("--version prints the version and exits 0", async () => {
    const r = await runBinary(["--version"], {});
    expect(r.code).toBe(0);
    expect(r.lines).toEqual([`ddnsd ${VERSION} (bun)`]);
  });

  it("--help prints usage and exits 0", async () => {
    const r = await runBinary(["--help"], {});
    expect(r.code).toBe(0);
    expect(r.lines[0]).toStartWith(`ddnsd ${VERSION}`);
    expect(r.lines.join("\n")).toContain("ddnsd once [--dry-run]");
  });

  it("--help lists every daemon-wide and per-target variable with its default, and ddnsd providers every provider's own", async () => {
    const r = await runBinary(["--help"], {});
    const listed = r.lines.map((l) => /^ {2}(DDNS_[A-Z0-9_]+)=\S/.exec(l)?.[1]).filter((n): n is string => n !== undefined);
    expect(listed.sort()).toEqual(VARIABLE_DOCS.map((d) => d.name).sort());
    const providers = await runBinary(["providers"], {});
    expect(providers.code).toBe(0);
    const everything = new Set([...listed, ...providers.lines.join("\n").matchAll(/DDNS_[A-Z0-9_]+/g)].map((m) => (typeof m === "string" ? m : m[0])));
    const secretsFiles = knownVariables(ALL_PROVIDERS).filter((n) => n.endsWith("_FILE") && !listed.includes(n));
    expect(knownVariables(ALL_PROVIDERS).filter((n) => !everything.has(n) && !secretsFiles.includes(n))).toEqual([]);
    expect(providers.lines.map((l) => l.split(/\s+/)[0])).toEqual([...ALL_PROVIDERS.ids]);
    expect(r.lines).toContainEqual(expect.stringMatching(/^ {2}DDNS_POLL_INTERVAL=5m +how often to re-detect/));
  });

  it("check prints the effective configuration with the secret redacted and exits 0", async () => {
    const r = await runBinary(["check"], { ...BASE, DDNS_RECORDS: "Home.Example.com." });
    expect(r.code).toBe(0);
    expect(r.lines).toContain("DDNS_PROVIDER_API_TOKEN=[REDACTED] (24 characters)");
    expect(r.lines).toContain("DDNS_RECORDS=home.example.com");
    expect(r.lines).toContain("DDNS_POLL_INTERVAL=5m");
    expect(r.lines.at(-1)).toBe("Configuration is valid: 1 record(s), provider cloudflare");
  });

  it.each([
    { name: "missing token", env: { DDNS_PROVIDER_API_TOKEN: "" }, line: "Configuration error: DDNS_PROVIDER_API_TOKEN is required." },
    { name: "empty records", env: { DDNS_RECORDS: "" }, line: "Configuration error: DDNS_RECORDS is required." },
    { name: "bad interval", env: { DDNS_POLL_INTERVAL: "soon" }, line: 'Configuration error: DDNS_POLL_INTERVAL must be a duration such as 30s, 5m or 1h (got "soon").' },
    { name: "file store without a path", env: { DDNS_STATE_STORE_TYPE: "file" }, line: "Configuration error: DDNS_STATE_STORE_PATH is required when DDNS_STATE_STORE_TYPE=file (e.g. /var/lib/ddns/state.json)." },
    { name: "unreadable token file", env: { DDNS_PROVIDER_API_TOKEN: "", DDNS_PROVIDER_API_TOKEN_FILE: "/nonexistent/token" }, line: 'Configuration error: DDNS_PROVIDER_API_TOKEN_FILE could not be read: "/nonexistent/token" (no such file).' },
  ])("a configuration error ($name) prints one line to stderr and exits 1, for run, once and check", async ({ env, line }) => {
    for (const args of [[], ["run"], ["once"], ["check"]]) {
      const r = await runBinary(args, { ...BASE, ...env });
      expect(r.code).toBe(1);
      expect(r.stderr).toEqual([line]);
      expect(r.lines).toEqual([line]);
    }
  });

  it("an unknown command is refused with exit 1", async () => {
    const r = await runBinary(["frobnicate"], BASE);
    expect(r.code).toBe(1);
    expect(r.stderr).toEqual(['Usage error: unknown command "frobnicate"; see ddnsd --help']);
  });

  it("--dry-run with check is refused", async () => {
    const r = await runBinary(["check", "--dry-run"], BASE);
    expect(r.code).toBe(1);
    expect(r.stderr).toEqual(["Usage error: --dry-run goes with run or once, not check"]);
  });
});
