import { afterAll, beforeAll, beforeEach, describe, expect, it } from "bun:test";
import type { LegacyProviderConfig as ProviderConfig } from "../../src/providers/kit/types.ts";
import { providerFromLegacy } from "./legacy-provider.ts";
import type { RecordRequest } from "../../src/providers/kit/types.ts";
import { a, createHarness, liveOptions, only } from "../fakes/dyndns2/provider-harness.ts";
import { serveRoutes, type RoutesServer } from "../fakes/routes-server.ts";

/**
 * No HTTP provider follows a redirect to another origin: its credentials (X-API-Key, a Bearer token, Basic auth, a
 * token in the query) would reach a host the operator never named. `api` answers every request with a 307 to the
 * same path and query on `other`, which logs whatever reaches it.
 */
const SECRET = "redirect-secret-0123456789abcdef";
let api: RoutesServer;
let other: RoutesServer;

beforeAll(() => {
  other = serveRoutes({});
  const redirect = (_req: Request, url: URL) => new Response(null, { status: 307, headers: { Location: `${other.origin}${url.pathname}${url.search}` } });
  api = serveRoutes(new Proxy({}, { get: () => redirect }) as Record<string, typeof redirect>);
});
afterAll(async () => {
  await api.stop();
  await other.stop();
});
beforeEach(() => {
  api.seen.length = 0;
  other.seen.length = 0;
});

const FOLLOW = "ddnsd does not follow redirects to another origin with credentials: set DDNS_PROVIDER_API_URL to the final address";

describe("HTTP providers refuse redirects to another origin", () => {
  it.each<{ name: string; config: () => ProviderConfig; request: RecordRequest; kind: string; message: () => string }>([
    {
      name: "powerdns",
      config: () => ({ type: "powerdns", token: SECRET, apiUrl: api.origin, powerdns: { serverId: "localhost" } }),
      request: a("home.example.test", "203.0.113.1"),
      kind: "config",
      message: () => `the PowerDNS API at "${api.origin}/api/v1/servers/localhost/zones" redirected to "${other.origin}/api/v1/servers/localhost/zones" (HTTP 307); ${FOLLOW}`,
    },
    {
      name: "cloudflare",
      config: () => ({ type: "cloudflare", token: SECRET, apiUrl: `${api.origin}/client/v4` }),
      request: a("www.example.com", "203.0.113.1"),
      kind: "config",
      message: () => `while looking up the zone, Cloudflare at "${api.origin}/client/v4/zones?…" redirected to "${other.origin}/client/v4/zones?…" (HTTP 307); ${FOLLOW}`,
    },
    {
      name: "dyndns2",
      config: () => ({ type: "dyndns2", token: SECRET, apiUrl: api.origin, dyndns2: { username: "user" } }),
      request: a("home.example.net", "203.0.113.1"),
      kind: "transient",
      message: () => `could not reach DynDNS2 service at ${api.origin}/nic/update: DynDNS2 service at "${api.origin}/nic/update?…" redirected to "${other.origin}/nic/update?…" (HTTP 307); ${FOLLOW}`,
    },
    {
      name: "duckdns",
      config: () => ({ type: "duckdns", token: SECRET, apiUrl: api.origin }),
      request: a("home.duckdns.org", "203.0.113.1"),
      kind: "transient",
      message: () => `could not reach DuckDNS at ${api.origin}/update: DuckDNS at "${api.origin}/update?…" redirected to "${other.origin}/update?…" (HTTP 307); ${FOLLOW}`,
    },
  ])("$name: the credentials stay home and the message says where the service pointed", async ({ config, request, kind, message }) => {
    const harness = createHarness(config());
    const result = only(await providerFromLegacy(harness.deps).setRecords([request], liveOptions()));
    expect(api.seen.length).toBeGreaterThan(0);
    expect(other.seen).toEqual([]);
    expect(result).toMatchObject({ ok: false, kind, message: message() });
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });
});
