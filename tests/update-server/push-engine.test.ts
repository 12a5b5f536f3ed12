import { ALL_PROVIDERS } from "../../src/providers/registry.ts";
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import * as fsp from "node:fs/promises";
import { loadConfig } from "../../src/config/load-config.ts";
import { prepareComponents, startComponents, closeComponents, type Components, type World } from "../../src/daemon/wire.ts";
import { createScheduler } from "../../src/engine/scheduler.ts";
import { createApp } from "../../src/http/app.ts";
import { createIpSources } from "../../src/ip/create-sources.ts";
import { createPushEndpoint } from "../../src/update-server/push-backend.ts";
import { isPushSource } from "../../src/ip/push/push-source.ts";
import { createMemoryLogger } from "../../src/log/logger.ts";
import { startFakeCloudflare, type FakeCloudflare } from "../fakes/cloudflare/fake-cloudflare.ts";
import { createFixture } from "../http/fixtures.ts";

/**
 * The daemon's wiring in process (components.ts, the scheduler, createApp with the endpoint mounted) against the
 * fake Cloudflare API: pushed addresses drive the same engine and provider, and `good`/`nochg`/`911` come from the
 * round the push triggered.
 */
const TOKEN = "cf-push-token-000111";
const PASSWORD = "push-pass-222333";
const AUTH = { Authorization: `Basic ${btoa(`router:${PASSWORD}`)}` };

let cf: FakeCloudflare;
beforeAll(async () => {
  cf = await startFakeCloudflare({ token: TOKEN, zones: ["example.com"] });
});
afterAll(() => cf.stop());

async function startDaemon(extra: Record<string, string> = {}) {
  const env = {
    DDNS_PROVIDER_TYPE: "cloudflare", DDNS_PROVIDER_API_TOKEN: TOKEN, DDNS_PROVIDER_API_URL: cf.url,
    DDNS_RECORDS: "home.example.com,www.example.com", DDNS_IP_SOURCE_TYPE: "push",
    DDNS_UPDATE_USERNAME: "router", DDNS_UPDATE_PASSWORD: PASSWORD, ...extra,
  };
  const { config } = loadConfig({ providers: ALL_PROVIDERS, env, readFile: () => "" });
  const log = createMemoryLogger("debug", [TOKEN, PASSWORD]);
  const world: World = {
    fetch, now: Date.now, random: () => 0.5, fs: fsp, runtime: "bun", rss: () => 1, startTimeSeconds: 0, createProvider: (target, deps) => ALL_PROVIDERS.create(target, deps),
    createIpSources: (c, l) => createIpSources(c, l, { fetch }),
  };
  const components: Components = await startComponents(config, world, log, prepareComponents(config, world, log), false);
  const scheduler = createScheduler({ runRound: components.reconciler.runRound, pollIntervalMs: 3_600_000, now: Date.now, log, status: components.status });
  const loop = scheduler.start();
  void components.source.watch!((reason) => scheduler.trigger(reason));
  if (!isPushSource(components.source)) throw new Error("expected the push source");
  const push = { records: config.targets[0]!.records.map((r) => r.name), ipVersions: config.ipVersions, allowPrivate: config.allowPrivate };
  const edge = createPushEndpoint({ config: push, edge: config.updateServer!, source: components.source, status: components.status, log, now: Date.now, budgetMs: 5000 });
  const app = createApp({ status: components.status, metrics: components.metrics, version: "t", runtime: "bun", edge: edge.app, login: edge.login });
  const call = async (query: string, init: RequestInit = { headers: AUTH }) => {
    const res = await app.request(`/nic/update${query}`, init, { remoteAddress: "198.51.100.1" });
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

  it("without the push source there is no endpoint", async () => {
    expect((await createFixture().app.request("/nic/update?hostname=home.example.com")).status).toBe(404);
  });
});
