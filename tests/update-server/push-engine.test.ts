import { ALL_PROVIDERS } from "../../src/providers/registry.ts";
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { loadConfig } from "../../src/config/load-config.ts";
import { closeComponents, wire } from "../../src/daemon/wire.ts";
import { createScheduler } from "../../src/engine/scheduler.ts";
import type { FetchHandler } from "../../src/http/serve-types.ts";
import { isPushSource } from "../../src/ip/push/push-source.ts";
import { createMemoryLogger } from "../../src/log/logger.ts";
import { startFakeCloudflare, type FakeCloudflare } from "../fakes/cloudflare/fake-cloudflare.ts";
import { createFixture } from "../http/fixtures.ts";
import { testPlatform } from "../daemon/test-platform.ts";

/**
 * The daemon's wiring in process (components.ts, the scheduler, createApp with the endpoint mounted) against the
 * fake Cloudflare API: pushed addresses drive the same engine and provider, and `good`/`nochg`/`911` come from the
 * round the push triggered.
 */
const TOKEN = "cf-push-token-000111";
const PASSWORD = "push-pass-222333";
const AUTH = { Authorization: `Basic ${btoa(`router:${PASSWORD}`)}` };

const LAB_TOKEN = "cf-lab-token-444555";

let cf: FakeCloudflare;
/** A second Cloudflare account: the `lab` target of the two-target tests. */
let lab: FakeCloudflare;
beforeAll(async () => {
  cf = await startFakeCloudflare({ token: TOKEN, zones: ["example.com"] });
  lab = await startFakeCloudflare({ token: LAB_TOKEN, zones: ["example.com"] });
});
afterAll(() => Promise.all([cf.stop(), lab.stop()]));

/** Two Cloudflare accounts from one DDNS_CONFIG_FILE; home.example.com is held by both. */
const twoTargets = () => ({
  env: { DDNS_CONFIG_FILE: "/etc/ddnsd.toml", DDNS_PROVIDER_TYPE: undefined, DDNS_RECORDS: undefined, DDNS_PROVIDER_API_TOKEN: undefined, DDNS_PROVIDER_API_URL: undefined, DDNS_IP_VERSIONS: "4" },
  files: {
    "/etc/ddnsd.toml": `[[target]]
id = "home"
provider_type = "cloudflare"
provider_api_token = "${TOKEN}"
provider_api_url = "${cf.url}"
records = "home.example.com"

[[target]]
id = "lab"
provider_type = "cloudflare"
provider_api_token = "${LAB_TOKEN}"
provider_api_url = "${lab.url}"
records = ["home.example.com", "lab.example.com"]
`,
  },
});

async function startDaemon(extra: Record<string, string | undefined> = {}, files: Record<string, string> = {}) {
  const env = {
    DDNS_PROVIDER_TYPE: "cloudflare", DDNS_PROVIDER_API_TOKEN: TOKEN, DDNS_PROVIDER_API_URL: cf.url,
    DDNS_RECORDS: "home.example.com,www.example.com", DDNS_IP_SOURCE_TYPE: "push",
    DDNS_UPDATE_USERNAME: "router", DDNS_UPDATE_PASSWORD: PASSWORD, ...extra,
  };
  const { config } = loadConfig({ providers: ALL_PROVIDERS, env, readFile: (path) => files[path] ?? "" });
  const log = createMemoryLogger("debug", [TOKEN, LAB_TOKEN, PASSWORD]);
  let handler: FetchHandler | undefined;
  const platform = testPlatform({ serve: async (opts) => ((handler = opts.fetch), { port: 8053, close: async () => {} }) });
  const daemon = wire(config, platform, { log, dryRun: false, providers: ALL_PROVIDERS, updateBudgetMs: 5000 });
  const components = await daemon.start();
  const scheduler = createScheduler({ runRound: components.reconciler.runRound, pollIntervalMs: 3_600_000, now: Date.now, log, status: components.status });
  const loop = scheduler.start();
  void components.source.watch!((reason) => scheduler.trigger(reason));
  if (!isPushSource(components.source)) throw new Error("expected the push source");
  await daemon.startHttp(components);
  const app = { request: (path: string, init?: RequestInit) => Promise.resolve(handler!(new Request(`http://127.0.0.1:8053${path}`, init), { remoteAddress: "198.51.100.1" })) };
  const call = async (query: string, init: RequestInit = { headers: AUTH }) => {
    const res = await app.request(`/nic/update${query}`, init);
    return { status: res.status, body: await res.text() };
  };
  const stop = async () => {
    await scheduler.stop();
    await loop;
    await closeComponents(components);
  };
  return { call, app, log, metrics: components.metrics, stop };
}

describe("push source driving the engine", () => {
  it("good, nochg on repeat, good for a change of one family, every record following the pushed address", async () => {
    const d = await startDaemon();
    try {
      expect(await d.call("?hostname=home.example.com&myip=203.0.113.7,2001:db8::7")).toEqual({ status: 200, body: "good 203.0.113.7,2001:db8::7\n" });
      expect(cf.contents("home.example.com", "A")).toEqual(["203.0.113.7"]);
      expect(cf.contents("www.example.com", "AAAA")).toEqual(["2001:db8::7"]);
      const writes = cf.writes();
      expect(await d.call("?hostname=home.example.com,www.example.com&myip=203.0.113.7,2001:db8::7")).toEqual({ status: 200, body: "nochg 203.0.113.7,2001:db8::7\nnochg 203.0.113.7,2001:db8::7\n" });
      expect(cf.writes()).toBe(writes);
      expect(await d.call("?hostname=www.example.com&myip=203.0.113.8")).toEqual({ status: 200, body: "good 203.0.113.8\n" });
      expect(cf.contents("home.example.com", "A")).toEqual(["203.0.113.8"]);
      expect(cf.contents("home.example.com", "AAAA")).toEqual(["2001:db8::7"]);
    } finally {
      await d.stop();
    }
  });

  it("answers 911 when the provider fails, and good once it works again", async () => {
    const d = await startDaemon({ DDNS_IP_VERSIONS: "4" });
    try {
      cf.faults.add({ kind: "status", status: 500, method: "GET", times: 50 });
      expect(await d.call("?hostname=home.example.com&myip=203.0.113.20")).toEqual({ status: 200, body: "911\n" });
      cf.faults.clear();
      // The failed record waits for its backoff; a new address is tried at once.
      expect(await d.call("?hostname=home.example.com&myip=203.0.113.21")).toEqual({ status: 200, body: "good 203.0.113.21\n" });
    } finally {
      cf.faults.clear();
      await d.stop();
    }
  });

  it("mounts into the daemon's app: other methods reach the endpoint (badagent), the route is counted", async () => {
    const d = await startDaemon();
    try {
      expect(await d.call("?hostname=home.example.com&myip=203.0.113.7", { method: "POST", headers: AUTH })).toEqual({ status: 405, body: "badagent\n" });
      expect((await d.app.request("/healthz")).status).toBe(200);
      expect(d.metrics.registry.render()).toContain('ddns_http_requests_total{route="update",code="405"} 1');
      expect(d.log.lines.join("\n")).not.toContain(PASSWORD);
    } finally {
      await d.stop();
    }
  });

  it("with two targets, a push sets every target's records, and the answer speaks for a host's records at every target", async () => {
    const t = twoTargets();
    const d = await startDaemon(t.env, t.files);
    try {
      expect(await d.call("?hostname=lab.example.com&myip=203.0.113.40")).toEqual({ status: 200, body: "good 203.0.113.40\n" });
      expect([cf.contents("home.example.com", "A"), lab.contents("home.example.com", "A"), lab.contents("lab.example.com", "A")]).toEqual([["203.0.113.40"], ["203.0.113.40"], ["203.0.113.40"]]);
      expect(await d.call("?hostname=home.example.com&myip=203.0.113.40")).toEqual({ status: 200, body: "nochg 203.0.113.40\n" });
      // One account failing: its records answer 911, the other account's records are written all the same.
      lab.faults.add({ kind: "status", status: 500, times: 50 });
      expect(await d.call("?hostname=home.example.com&myip=203.0.113.41")).toEqual({ status: 200, body: "911\n" });
      expect([cf.contents("home.example.com", "A"), lab.contents("home.example.com", "A")]).toEqual([["203.0.113.41"], ["203.0.113.40"]]);
      expect(d.log.lines.some((l) => l.startsWith("WARN Could not update 2 records (home.example.com A (target lab), lab.example.com A (target lab)):"))).toBe(true);
    } finally {
      lab.faults.clear();
      await d.stop();
    }
  });

  it("without the push source there is no endpoint", async () => {
    expect((await createFixture().app.request("/nic/update?hostname=home.example.com")).status).toBe(404);
  });
});
