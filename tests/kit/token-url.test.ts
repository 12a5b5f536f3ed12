import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { createMemoryLogger } from "../../src/log/logger.ts";
import { createTokenUrlProvider, type TokenUrlService } from "../../src/providers/kit/token-url.ts";
import type { ProviderDeps } from "../../src/providers/kit/types.ts";
import { serveRoutes, type RoutesServer } from "../fakes/routes-server.ts";

/**
 * The token-URL template: one host per request, GET parameters in the query or POST ones as a form, AAAA and
 * wildcards refused before anything is sent, and an answer `read` does not know never taken as success.
 */
let server: RoutesServer;
const seen: Array<{ method: string; query: string; body: string; type: string }> = [];
beforeAll(() => {
  server = serveRoutes({
    "/u": async (req, url) => {
      seen.push({ method: req.method, query: url.search, body: await req.text(), type: req.headers.get("content-type") ?? "" });
      return new Response(url.searchParams.get("answer") ?? "fine");
    },
  });
});
afterAll(() => server.stop());

const deps = (): ProviderDeps => ({ fetch, log: createMemoryLogger(), now: Date.now, random: Math.random, userAgent: "ddnsd-test", onRequest: () => {} });
function provider(over: Partial<TokenUrlService> = {}) {
  return createTokenUrlProvider(
    {
      id: "example",
      service: "Example",
      baseUrl: server.origin,
      path: "/u",
      together: false,
      ipv6: true,
      secrets: ["k-secret"],
      answerName: "an Example answer",
      params: (call) => ({ key: "k-secret", host: call.units[0]?.name ?? "", ip: call.v4 ?? call.v6 ?? "" }),
      read: (reply) => (reply.text === "fine" ? { ok: true, outcome: "updated" } : undefined),
      ...over,
    },
    deps(),
  );
}
const live = () => ({ signal: AbortSignal.timeout(3000), dryRun: false });

describe("the token-URL template", () => {
  it("sends GET parameters in the query, one host per request", async () => {
    seen.length = 0;
    const results = await provider().setRecords([{ name: "a.example.net", type: "A", content: "192.0.2.1" }, { name: "b.example.net", type: "A", content: "192.0.2.1" }], live());
    expect(results.map((r) => r.ok && r.outcome)).toEqual(["updated", "updated"]);
    expect(seen.map((s) => s.query)).toEqual(["?key=k-secret&host=a.example.net&ip=192.0.2.1", "?key=k-secret&host=b.example.net&ip=192.0.2.1"]);
  });

  it("sends POST parameters as a form body", async () => {
    seen.length = 0;
    await provider({ method: "POST" }).setRecords([{ name: "a.example.net", type: "A", content: "192.0.2.1" }], live());
    expect(seen).toEqual([{ method: "POST", query: "", body: "key=k-secret&host=a.example.net&ip=192.0.2.1", type: expect.stringContaining("application/x-www-form-urlencoded") }]);
  });

  it.each([
    { name: "an AAAA record at an IPv4-only service", request: { name: "a.example.net", type: "AAAA" as const, content: "2001:db8::1" }, says: "Example updates IPv4 addresses only, so AAAA records cannot be managed: set DDNS_IP_VERSIONS=4" },
    { name: "a wildcard", request: { name: "*.example.net", type: "A" as const, content: "192.0.2.1" }, says: "Example cannot update wildcard names; remove it from DDNS_RECORDS" },
  ])("refuses $name without sending anything", async ({ request, says }) => {
    seen.length = 0;
    const [result] = await provider({ ipv6: false }).setRecords([request], live());
    expect(result).toMatchObject({ ok: false, kind: "config", message: expect.stringContaining(says) });
    expect(seen).toEqual([]);
  });

  it("never takes an answer it cannot read as success", async () => {
    const [result] = await provider({ params: () => ({ answer: "maybe" }) }).setRecords([{ name: "a.example.net", type: "A", content: "192.0.2.1" }], live());
    expect(result).toMatchObject({ ok: false, kind: "transient", unconfirmed: true });
  });
});
