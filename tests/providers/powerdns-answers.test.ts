import { afterEach, describe, expect, it } from "bun:test";
import { setOne } from "../peers/dns-fixtures.ts";
import { powerDnsProvider } from "../peers/powerdns-setup.ts";

/**
 * Answers a healthy pdns_server does not give on demand (hangs, 5xx, 429), from a fake on port 0 that follows the
 * documented API shapes. The real-server behaviour is covered in powerdns.test.ts.
 */
type Behaviour = "ok" | "hang" | "500" | "429" | "read-503" | "unfiltered" | "comment-only";
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
        if (behaviour === "unfiltered") return Response.json({ id: "example.test.", rrsets: UNFILTERED });
        // 4.7 answers a filtered read with the comments of a set that has no records (TTL 0).
        if (behaviour === "comment-only") return Response.json({ id: "example.test.", rrsets: [{ name: "home.example.test.", type: "A", ttl: 0, records: [], comments: [{ content: "x", account: "", modified_at: 1 }] }] });
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
/** What a server that ignores rrset_name/rrset_type answers: every set of the zone, disabled records included. */
const UNFILTERED = [
  { name: "other.example.test.", type: "A", ttl: 60, records: [{ content: "198.51.100.1", disabled: false }] },
  { name: "home.example.test.", type: "AAAA", ttl: 60, records: [{ content: "2001:db8::1", disabled: false }] },
  { name: "HOME.example.test.", type: "A", ttl: 60, records: [{ content: "192.0.2.1", disabled: true }, { content: "203.0.113.80", disabled: false }] },
];

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

describe("powerdns reads only the set it asked for", () => {
  it("filters an unfiltered answer itself and ignores disabled records", async () => {
    const result = await setOne(powerDnsProvider({ apiUrl: startFake("unfiltered"), apiKey: "k1" }), request);
    expect(result).toMatchObject({ ok: true, outcome: "unchanged", previous: ["203.0.113.80"] });
    expect(seen.some((s) => s.method === "PATCH")).toBe(false);
  });

  it("takes a set without records for a missing one (new TTL 300, not its 0)", async () => {
    const result = await setOne(powerDnsProvider({ apiUrl: startFake("comment-only"), apiKey: "k1" }), request);
    expect(result).toMatchObject({ ok: true, outcome: "created", previous: [] });
    expect(seen.find((s) => s.method === "PATCH")?.body).toEqual({
      rrsets: [{ name: "home.example.test.", type: "A", ttl: 300, changetype: "REPLACE", records: [{ content: "203.0.113.80", disabled: false }] }],
    });
  });
});

describe("powerdns failures", () => {
  // The message is the reason only, in the kit's words (src/providers/kit/explain-failure.ts) with PowerDNS's own
  // error text quoted: the engine names the record, says "could not confirm" for `unconfirmed` and what comes next.
  it.each([
    { name: "a PATCH that times out", behaviour: "hang" as const, expected: { kind: "transient", unconfirmed: true },
      message: "while writing the record set, the PowerDNS API did not answer within 0.3 s" },
    { name: "a PATCH answered 500", behaviour: "500" as const, expected: { kind: "transient", unconfirmed: true },
      message: 'while writing the record set, the PowerDNS API failed (HTTP 500: "Backend error: database is locked")' },
    { name: "a PATCH answered 429", behaviour: "429" as const, expected: { kind: "rate-limited", retryAfterMs: 7000 },
      message: 'while writing the record set, the PowerDNS API asked ddnsd to slow down (HTTP 429: "slow down")' },
    { name: "a read answered 503", behaviour: "read-503" as const, expected: { kind: "transient" },
      message: 'while reading the record set, the PowerDNS API failed (HTTP 503: "backend down")' },
  ])("reports $name", async ({ behaviour, expected, message }) => {
    const apiUrl = startFake(behaviour);
    const result = await setOne(powerDnsProvider({ apiUrl, apiKey: "k1", timeoutMs: 300 }), request);
    expect(result).toMatchObject({ ok: false, ...expected, message });
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
