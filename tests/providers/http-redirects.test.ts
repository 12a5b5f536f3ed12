import { afterAll, beforeAll, beforeEach, describe, expect, it } from "bun:test";
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
  it.each<{ name: string; variables: () => Record<string, string>; request: RecordRequest; kind: string; message: () => string }>([
    {
      name: "powerdns",
      variables: () => ({ DDNS_PROVIDER_API_TOKEN: SECRET, DDNS_PROVIDER_API_URL: api.origin, DDNS_POWERDNS_SERVER_ID: "localhost" }),
      request: a("home.example.test", "203.0.113.1"),
      kind: "config",
      message: () => `while looking up the zone, the PowerDNS API at "${api.origin}/api/v1/servers/localhost/zones" redirected to "${other.origin}/api/v1/servers/localhost/zones" (HTTP 307); ${FOLLOW}`,
    },
    {
      name: "cloudflare",
      variables: () => ({ DDNS_PROVIDER_API_TOKEN: SECRET, DDNS_PROVIDER_API_URL: `${api.origin}/client/v4` }),
      request: a("www.example.com", "203.0.113.1"),
      kind: "config",
      message: () => `while looking up the zone, Cloudflare at "${api.origin}/client/v4/zones?…" redirected to "${other.origin}/client/v4/zones?…" (HTTP 307); ${FOLLOW}`,
    },
    {
      name: "dyndns2",
      variables: () => ({ DDNS_PROVIDER_API_TOKEN: SECRET, DDNS_PROVIDER_API_URL: api.origin, DDNS_DYNDNS2_USERNAME: "user" }),
      request: a("home.example.net", "203.0.113.1"),
      // The kit's reading (issue 12 had it as "could not reach", transient): a configuration to correct.
      kind: "config",
      message: () => `DynDNS2 service at "${api.origin}/nic/update?…" redirected to "${other.origin}/nic/update?…" (HTTP 307); ${FOLLOW}`,
    },
    {
      name: "noip",
      variables: () => ({ DDNS_PROVIDER_API_TOKEN: SECRET, DDNS_PROVIDER_API_URL: api.origin, DDNS_NOIP_USERNAME: "user" }),
      request: a("home.example.net", "203.0.113.1"),
      kind: "config",
      message: () => `No-IP at "${api.origin}/nic/update?…" redirected to "${other.origin}/nic/update?…" (HTTP 307); ${FOLLOW}`,
    },
    {
      name: "duckdns",
      variables: () => ({ DDNS_PROVIDER_API_TOKEN: SECRET, DDNS_PROVIDER_API_URL: api.origin }),
      request: a("home.duckdns.org", "203.0.113.1"),
      kind: "config",
      message: () => `DuckDNS at "${api.origin}/update?…" redirected to "${other.origin}/update?…" (HTTP 307); ${FOLLOW}`,
    },
  ])("$name: the credentials stay home and the message says where the service pointed", async ({ name, variables, request, kind, message }) => {
    const result = only(await createHarness().provider(name, variables()).setRecords([request], liveOptions()));
    expect(api.seen.length).toBeGreaterThan(0);
    expect(other.seen).toEqual([]);
    expect(result).toMatchObject({ ok: false, kind, message: message() });
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });
});
