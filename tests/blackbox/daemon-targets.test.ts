import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, setDefaultTimeout } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertNoSecretLeaked, runBinary, spawnDaemon, type Daemon } from "./harness.ts";
import { freePort, startWorld, until, type TestWorld } from "./world.ts";
import { startFakeDigitalOcean, type FakeDigitalOcean } from "../fakes/digitalocean/fake-digitalocean.ts";

/**
 * Two targets from one DDNS_CONFIG_FILE, kept right by one dist/ddnsd: `home` at (fake) Cloudflare, `lab` at (fake)
 * DigitalOcean, with home.example.com held by both. Each target's records go to its own provider; one target
 * failing or hanging never holds up the other; the state file, /status and /metrics name the target.
 */
setDefaultTimeout(60_000);
const DO_TOKEN = `do-targets-${process.pid}-s3cr3t`;
let w: TestWorld;
let dio: FakeDigitalOcean;
const dir = mkdtempSync(join(tmpdir(), "ddnsd-targets-"));
const running: Daemon[] = [];
beforeAll(async () => {
  w = await startWorld({ zones: ["example.com"] });
  dio = await startFakeDigitalOcean({ tokens: { [DO_TOKEN]: "all" }, zones: ["example.com", "example.net"] });
});
beforeEach(() => {
  for (const r of w.cf.records()) w.cf.remove(r.id);
  for (const name of ["home.example.com", "lab.example.net"]) for (const type of ["A", "AAAA"]) dio.edit(name, type, []);
  w.cf.faults.clear();
  dio.faults.clear();
});
afterEach(() => running.splice(0).forEach((d) => d.kill("SIGKILL")));
afterAll(async () => {
  await Promise.all([w.stop(), dio.stop()]);
  rmSync(dir, { recursive: true, force: true });
  assertNoSecretLeaked();
});

let files = 0;
/** The config file of the two targets; `doToken` replaces lab's token (a refused one). */
function configFile(doToken = DO_TOKEN): string {
  const path = join(dir, `targets-${++files}.toml`);
  writeFileSync(
    path,
    `[[target]]
id = "home"
provider_type = "cloudflare"
provider_api_token = "${w.token}"
provider_api_url = "${w.cf.url}"
records = ["home.example.com"]

[[target]]
id = "lab"
provider_type = "digitalocean"
provider_api_token = "${doToken}"
provider_api_url = "${dio.url}"
records = ["home.example.com", "lab.example.net{ip_versions=4}"]
`,
  );
  return path;
}

/** The daemon-wide settings from the environment, the targets from the file. */
const env = (file: string, extra: Record<string, string> = {}) =>
  w.env({ DDNS_PROVIDER_TYPE: undefined, DDNS_RECORDS: undefined, DDNS_PROVIDER_API_TOKEN: undefined, DDNS_PROVIDER_API_URL: undefined, DDNS_CONFIG_FILE: file, ...extra });
const secrets = [DO_TOKEN];

const cfHolds = () => ({ A: w.cf.contents("home.example.com", "A"), AAAA: w.cf.contents("home.example.com", "AAAA") });
const doHolds = () => ({ A: dio.read("home.example.com", "A"), AAAA: dio.read("home.example.com", "AAAA"), lab: dio.read("lab.example.net", "A") });

describe("dist/ddnsd with two targets from DDNS_CONFIG_FILE", () => {
  it("updates each target's records through its own provider, and the lines name the target", async () => {
    const r = await runBinary(["once"], env(configFile()));
    expect(r.code).toBe(0);
    expect(cfHolds()).toEqual({ A: ["203.0.113.7"], AAAA: ["2001:db8::7"] });
    expect(doHolds()).toEqual({ A: ["203.0.113.7"], AAAA: ["2001:db8::7"], lab: ["203.0.113.7"] });
    expect(r.lines).toContain("INFO Created A record home.example.com (target home) → 203.0.113.7");
    expect(r.lines).toContain("INFO Created A record home.example.com (target lab) → 203.0.113.7");
    expect(r.lines).toContain("INFO Created A record lab.example.net (target lab) → 203.0.113.7");
    expect(r.lines.join("\n")).not.toContain(DO_TOKEN);
  });

  it("keeps the other target right when one target's provider refuses its token, and exits 2", async () => {
    const r = await runBinary(["once"], env(configFile("do-wrong-token-0000")));
    expect(r.code).toBe(2);
    expect(cfHolds()).toEqual({ A: ["203.0.113.7"], AAAA: ["2001:db8::7"] });
    expect(doHolds()).toEqual({ A: [], AAAA: [], lab: [] });
    const errors = r.lines.filter((l) => l.startsWith("ERROR Could not update"));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toStartWith("ERROR Could not update 3 records (home.example.com A (target lab), lab.example.net A (target lab), home.example.com AAAA (target lab)): ");
    expect(errors[0]).toContain("kind=auth");
  });

  it("updates one target while the other's provider hangs", async () => {
    dio.faults.add({ kind: "hang", probability: 1 });
    const port = await freePort();
    const d = spawnDaemon([], env(configFile(), { DDNS_HTTP_ADDR: `127.0.0.1:${port}` }), secrets);
    running.push(d);
    // DigitalOcean's deadline is 10 s; Cloudflare's records are written long before it.
    await until(cfHolds, (h) => h.A.length === 1 && h.AAAA.length === 1, 5_000, "Cloudflare's records");
    const status = (await (await fetch(`http://127.0.0.1:${port}/status`)).json()) as { records: Array<{ target: string; name: string; type: string; state: string }> };
    expect(status.records.map(({ target, name, type, state }) => `${target} ${name} ${type} ${state}`).sort()).toEqual([
      "home home.example.com A ok",
      "home home.example.com AAAA ok",
      "lab home.example.com A pending",
      "lab home.example.com AAAA pending",
      "lab lab.example.net A pending",
    ]);
  });

  it("names the target of each record in /status and in the per-record and provider metrics", async () => {
    const port = await freePort();
    const d = spawnDaemon([], env(configFile(), { DDNS_HTTP_ADDR: `127.0.0.1:${port}` }), secrets);
    running.push(d);
    await d.waitForLine("INFO Ready to monitor IP changes");
    await until(() => fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status), (s) => s === 200, 15_000, "readiness");
    const status = (await (await fetch(`http://127.0.0.1:${port}/status`)).json()) as { records: Array<{ target: string; name: string; type: string; content: string; state: string }> };
    expect(status.records.map(({ target, name, type, content, state }) => ({ target, name, type, content, state }))).toEqual([
      { target: "home", name: "home.example.com", type: "A", content: "203.0.113.7", state: "ok" },
      { target: "lab", name: "home.example.com", type: "A", content: "203.0.113.7", state: "ok" },
      { target: "lab", name: "lab.example.net", type: "A", content: "203.0.113.7", state: "ok" },
      { target: "home", name: "home.example.com", type: "AAAA", content: "2001:db8::7", state: "ok" },
      { target: "lab", name: "home.example.com", type: "AAAA", content: "2001:db8::7", state: "ok" },
    ]);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const lines = metrics.split("\n");
    for (const series of [
      'ddns_record_failing{target="home",record="home.example.com",type="A"} 0',
      'ddns_record_failing{target="lab",record="home.example.com",type="A"} 0',
      'ddns_record_failing{target="lab",record="lab.example.net",type="A"} 0',
      'ddns_records_managed 5',
    ]) {
      expect(lines).toContain(series);
    }
    expect(lines.some((l) => l.startsWith('ddns_provider_requests_total{target="home",provider="cloudflare",outcome="ok"} ') && !l.endsWith(" 0"))).toBe(true);
    expect(lines.some((l) => l.startsWith('ddns_provider_requests_total{target="lab",provider="digitalocean",outcome="ok"} ') && !l.endsWith(" 0"))).toBe(true);
    const heads = (name: string) => lines.filter((l) => l.startsWith(`${name}{`)).map((l) => l.slice(0, l.indexOf("}") + 1)).sort();
    expect(heads("ddns_record_last_success_timestamp_seconds")).toEqual([
      'ddns_record_last_success_timestamp_seconds{target="home",record="home.example.com",type="A"}',
      'ddns_record_last_success_timestamp_seconds{target="home",record="home.example.com",type="AAAA"}',
      'ddns_record_last_success_timestamp_seconds{target="lab",record="home.example.com",type="A"}',
      'ddns_record_last_success_timestamp_seconds{target="lab",record="home.example.com",type="AAAA"}',
      'ddns_record_last_success_timestamp_seconds{target="lab",record="lab.example.net",type="A"}',
    ]);
  });

  it("keeps each target's records in the state file (format 3) and trusts them after a restart", async () => {
    const state = join(dir, `state-${++files}.json`);
    const file = configFile();
    const first = await runBinary(["once"], env(file, { DDNS_STATE_STORE_TYPE: "file", DDNS_STATE_STORE_PATH: state, DDNS_VERIFY_INTERVAL: "1h" }));
    expect(first.code).toBe(0);
    const saved = JSON.parse(readFileSync(state, "utf8")) as { version: number; records: Array<{ target: string; name: string; type: string; content: string }> };
    expect(saved.version).toBe(3);
    expect(saved.records.map(({ target, name, type, content }) => `${target} ${name} ${type} ${content}`).sort()).toEqual([
      "home home.example.com A 203.0.113.7",
      "home home.example.com AAAA 2001:db8::7",
      "lab home.example.com A 203.0.113.7",
      "lab home.example.com AAAA 2001:db8::7",
      "lab lab.example.net A 203.0.113.7",
    ]);
    const asked = { cf: w.cf.requests().length, dio: dio.requests.length };
    const second = await runBinary(["once"], env(file, { DDNS_STATE_STORE_TYPE: "file", DDNS_STATE_STORE_PATH: state, DDNS_VERIFY_INTERVAL: "1h" }));
    expect(second.code).toBe(0);
    // Every record of both targets is known from the state: neither provider is asked.
    expect({ cf: w.cf.requests().length, dio: dio.requests.length }).toEqual(asked);
  });
});
