import { afterEach, describe, expect, it } from "bun:test";
import { setOne } from "../peers/dns-fixtures.ts";
import { powerDnsProvider } from "../peers/powerdns-setup.ts";

/**
 * Answers a healthy pdns_server does not give on demand (hangs, 5xx, 429), from a fake on port 0 that follows the
 * documented API shapes. The real-server behaviour is covered in powerdns.test.ts.
 */
type Behaviour = "ok" | "hang" | "500" | "429" | "read-503";
let server: ReturnType<typeof Bun.serve> | undefined;
const seen: { method: string; path: string; key: string | null; body: unknown }[] = [];
afterEach(() => {
  server?.stop(true);
  server = undefined;
  seen.length = 0;
});

function startFake(behaviour: Behaviour): string {
  server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(req) {
      const url = new URL(req.url);
      const body = req.method === "PATCH" ? await req.json() : undefined;
      seen.push({ method: req.method, path: `${url.pathname}${url.search}`, key: req.headers.get("x-api-key"), body });
      if (url.pathname === "/api/v1/servers/localhost/zones") return Response.json([{ id: "example.test.", name: "example.test." }]);
      if (req.method === "GET") {
        if (behaviour === "read-503") return new Response("backend down", { status: 503 });
        return Response.json({ id: "example.test.", rrsets: [] });
      }
      if (behaviour === "hang") return new Promise<Response>((r) => setTimeout(() => r(new Response(null, { status: 204 })), 5_000));
      if (behaviour === "500") return Response.json({ error: "Backend error: database is locked" }, { status: 500 });
      if (behaviour === "429") return new Response("slow down", { status: 429, headers: { "Retry-After": "7" } });
      return new Response(null, { status: 204 });
    },
  });
  return `http://127.0.0.1:${server.port}`;
}

const request = { name: "home.example.test", type: "A" as const, content: "203.0.113.80" };

describe("powerdns speaks the documented API", () => {
  it("sends one REPLACE with a canonical name, the TTL and the API key header", async () => {
    const result = await setOne(powerDnsProvider({ apiUrl: startFake("ok"), apiKey: "k1" }), request);
    expect(result).toMatchObject({ ok: true, outcome: "created" });
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      "GET /api/v1/servers/localhost/zones",
      "GET /api/v1/servers/localhost/zones/example.test.?rrset_name=home.example.test.&rrset_type=A",
      "PATCH /api/v1/servers/localhost/zones/example.test.",
    ]);
    expect(seen.every((s) => s.key === "k1")).toBe(true);
    expect(seen[2]?.body).toEqual({
      rrsets: [{ name: "home.example.test.", type: "A", ttl: 300, changetype: "REPLACE", records: [{ content: "203.0.113.80", disabled: false }] }],
    });
  });
});

describe("powerdns failures", () => {
  // The message is the reason only: the engine names the record and says "could not confirm" for `unconfirmed`.
  it.each([
    { name: "a PATCH that times out", behaviour: "hang" as const, expected: { kind: "transient", unconfirmed: true },
      message: (api: string) => `the PowerDNS API at "${api}" did not answer in time while replacing the rrset (no answer within 300 ms)` },
    { name: "a PATCH answered 500", behaviour: "500" as const, expected: { kind: "transient", unconfirmed: true },
      message: (api: string) => `the PowerDNS API at "${api}" failed (HTTP 500: "Backend error: database is locked") while replacing the rrset` },
    { name: "a PATCH answered 429", behaviour: "429" as const, expected: { kind: "rate-limited", retryAfterMs: 7000 },
      message: (api: string) => `the PowerDNS API at "${api}" asked to slow down (HTTP 429) while replacing the rrset` },
    { name: "a read answered 503", behaviour: "read-503" as const, expected: { kind: "transient" },
      message: (api: string) => `the PowerDNS API at "${api}" failed (HTTP 503: "backend down") while reading the rrset` },
  ])("reports $name", async ({ behaviour, expected, message }) => {
    const apiUrl = startFake(behaviour);
    const result = await setOne(powerDnsProvider({ apiUrl, apiKey: "k1", timeoutMs: 300 }), request);
    expect(result).toMatchObject({ ok: false, ...expected, message: message(apiUrl) });
    if (behaviour === "read-503") expect(seen.some((s) => s.method === "PATCH")).toBe(false);
  });

  it("stops at once when the round is cancelled", async () => {
    const apiUrl = startFake("hang");
    const controller = new AbortController();
    const pending = powerDnsProvider({ apiUrl, apiKey: "k1", timeoutMs: 10_000 }).setRecords([request], { signal: controller.signal, dryRun: false });
    setTimeout(() => controller.abort(new Error("shutdown")), 100);
    const started = Date.now();
    const [result] = await pending;
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(result).toMatchObject({ ok: false, kind: "transient", unconfirmed: true });
  });
});
