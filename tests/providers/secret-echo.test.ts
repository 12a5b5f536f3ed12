import { afterAll, afterEach, beforeAll, describe, expect, it } from "bun:test";
import type { RecordRequest } from "../../src/providers/kit/types.ts";
import { startFakeCloudflare, type FakeCloudflare } from "../fakes/cloudflare/fake-cloudflare.ts";
import { harness as cloudflareHarness } from "../fakes/cloudflare/provider-harness.ts";
import { a, createHarness, liveOptions, only } from "../fakes/dyndns2/provider-harness.ts";
import { serveRoutes, type RoutesServer } from "../fakes/routes-server.ts";

/**
 * A service (or a proxy in front of it) that echoes the request's credentials in a long error: a provider that
 * shortens the text before redacting it would leave a piece of the secret that no redactor recognises any more.
 * The kit's client redacts every answer whole before a provider can quote or cut it.
 */
const SECRET = "echo-secret-0123456789abcdefghijklmnopqrstu"; // 43 characters, as a Cloudflare API token

/** Every run of 8 characters of the secret: none may appear anywhere. */
const pieces = Array.from({ length: SECRET.length - 7 }, (_, i) => SECRET.slice(i, i + 8));
const leaked = (text: string) => pieces.filter((p) => text.includes(p));

let echo: RoutesServer;
let cf: FakeCloudflare | undefined;
beforeAll(() => {
  // A long error whose end quotes everything the request carried: the part any provider keeps ends inside it.
  const answer = (req: Request, url: URL) =>
    new Response(`${"Backend error. ".repeat(18)}Request was: ${req.headers.get("authorization")} ${req.headers.get("x-api-key")} ${url.search}`, { status: 500 });
  echo = serveRoutes(new Proxy({}, { get: () => answer }) as Record<string, typeof answer>);
});
afterAll(() => echo.stop());
afterEach(async () => {
  await cf?.stop();
  cf = undefined;
});

describe("secrets a service echoes never reach a message, whole or in part", () => {
  it("cloudflare: an error message quoting the token, cut to 80 characters only after redaction", async () => {
    cf = await startFakeCloudflare({ token: SECRET, zones: ["example.com"] });
    cf.faults.add({ kind: "status", status: 400, path: "/zones", errors: [{ code: 6111, message: `Invalid format for Authorization header: Bearer ${SECRET}` }] });
    const h = cloudflareHarness({ url: cf.url, token: SECRET });
    const result = await h.setOne(a("www.example.com", "203.0.113.1"));
    expect(result).toMatchObject({
      ok: false,
      kind: "auth",
      message: 'while looking up the zone, Cloudflare could not read the API token (HTTP 400, code 6111 "Invalid format for Authorization header: Bearer [REDACTED]"); check DDNS_PROVIDER_API_TOKEN for stray characters, and use an API token, not the Global API Key',
    });
    expect(leaked(JSON.stringify(result) + h.lines.join("\n"))).toEqual([]);
  });

  it.each<{ name: string; id: string; variables: () => Record<string, string>; request: RecordRequest }>([
    { name: "powerdns (its error text is cut to 300 characters)", id: "powerdns", variables: () => ({ DDNS_PROVIDER_API_URL: echo.origin, DDNS_POWERDNS_SERVER_ID: "localhost" }), request: a("home.example.test", "203.0.113.1") },
    { name: "dyndns2 (Basic auth)", id: "dyndns2", variables: () => ({ DDNS_PROVIDER_API_URL: echo.origin, DDNS_DYNDNS2_USERNAME: "user" }), request: a("home.example.net", "203.0.113.1") },
    { name: "dynu (Basic auth, its own id)", id: "dynu", variables: () => ({ DDNS_PROVIDER_API_URL: echo.origin, DDNS_DYNU_USERNAME: "user" }), request: a("home.example.net", "203.0.113.1") },
    { name: "digitalocean (Bearer token)", id: "digitalocean", variables: () => ({ DDNS_PROVIDER_API_URL: echo.origin }), request: a("home.example.com", "203.0.113.1") },
    { name: "linode (Bearer token)", id: "linode", variables: () => ({ DDNS_PROVIDER_API_URL: echo.origin }), request: a("home.example.com", "203.0.113.1") },
    { name: "vultr (Bearer API key)", id: "vultr", variables: () => ({ DDNS_PROVIDER_API_URL: echo.origin }), request: a("home.example.com", "203.0.113.1") },
    { name: "porkbun (the keys in the JSON body)", id: "porkbun", variables: () => ({ DDNS_PROVIDER_API_URL: echo.origin, DDNS_PROVIDER_API_KEY: "pk1_key" }), request: a("home.example.com", "203.0.113.1") },
    { name: "godaddy (sso-key KEY:SECRET)", id: "godaddy", variables: () => ({ DDNS_PROVIDER_API_URL: echo.origin, DDNS_PROVIDER_API_KEY: "gd-key" }), request: a("home.example.com", "203.0.113.1") },
    { name: "dnsimple (Bearer token, account from whoami)", id: "dnsimple", variables: () => ({ DDNS_PROVIDER_API_URL: echo.origin }), request: a("home.example.com", "203.0.113.1") },
    { name: "netlify (Bearer token)", id: "netlify", variables: () => ({ DDNS_PROVIDER_API_URL: echo.origin }), request: a("home.example.com", "203.0.113.1") },
    { name: "namecom (Basic auth, user name and token)", id: "namecom", variables: () => ({ DDNS_PROVIDER_API_URL: echo.origin, DDNS_PROVIDER_API_KEY: "alice" }), request: a("home.example.com", "203.0.113.1") },
    { name: "vercel (Bearer token, teamId)", id: "vercel", variables: () => ({ DDNS_PROVIDER_API_URL: echo.origin, DDNS_VERCEL_TEAM_ID: "team_x" }), request: a("home.example.com", "203.0.113.1") },
    { name: "duckdns (the token in the query)", id: "duckdns", variables: () => ({ DDNS_PROVIDER_API_URL: echo.origin }), request: a("home.duckdns.org", "203.0.113.1") },
  ])("$name", async ({ id, variables, request }) => {
    const harness = createHarness();
    const result = only(await harness.provider(id, { DDNS_PROVIDER_API_TOKEN: SECRET, ...variables() }).setRecords([request], liveOptions()));
    expect(result.ok).toBe(false);
    expect(leaked(JSON.stringify(result) + harness.log.lines.join("\n"))).toEqual([]);
  });
});
