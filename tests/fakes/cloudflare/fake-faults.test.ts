import { afterEach, describe, expect, it } from "bun:test";
import { startFakeCloudflare, type FakeCloudflare, type FakeCloudflareOptions } from "./fake-cloudflare.ts";
import type { FaultRule } from "./fake-faults.ts";
import { FAKE_TOKEN, rawApi as api, recordsPath as records } from "./raw-api.ts";

let cf: FakeCloudflare | undefined;
afterEach(async () => {
  await cf?.stop();
  cf = undefined;
});

async function fake(extra: Partial<FakeCloudflareOptions> = {}) {
  cf = await startFakeCloudflare({ token: FAKE_TOKEN, zones: ["example.com"], ...extra });
  return cf;
}

describe("fake Cloudflare: fault injection", () => {
  it.each([
    { name: "a 503 envelope", rule: { kind: "status", status: 503 } as FaultRule, status: 503, type: "application/json", success: false },
    { name: "a 429 with Retry-After and 971", rule: { kind: "rate-limit", retryAfter: 7 } as FaultRule, status: 429, type: "application/json", success: false },
    { name: "an HTML page", rule: { kind: "html" } as FaultRule, status: 502, type: "text/html", success: undefined },
    { name: "success:false with 200", rule: { kind: "success-false" } as FaultRule, status: 200, type: "application/json", success: false },
    { name: "a body that is not JSON", rule: { kind: "invalid-json" } as FaultRule, status: 200, type: "application/json", success: undefined },
  ])("answers $name", async ({ rule, status, type, success }) => {
    const f = await fake();
    f.faults.add(rule);
    const r = await api(f, "GET", "/zones");
    expect({ status: r.status, type: r.headers.get("content-type")?.split(";")[0], success: r.json.success }).toEqual({ status, type, success });
    if (rule.kind === "rate-limit") {
      expect(r.headers.get("retry-after")).toBe("7");
      expect(r.codes).toEqual([971]);
    }
    expect((await api(f, "GET", "/zones")).status).toBe(200);
  });

  it("fires for the next N matching requests only, by method and path pattern", async () => {
    const f = await fake();
    f.faults.add({ kind: "status", status: 500, method: "GET", path: "/zones/*/dns_records", times: 2 });
    const statuses: number[] = [];
    statuses.push((await api(f, "GET", "/zones")).status);
    for (let i = 0; i < 3; i++) statuses.push((await api(f, "GET", records(f))).status);
    statuses.push((await api(f, "POST", records(f), { body: { type: "A", name: "x.example.com", content: "192.0.2.1" } })).status);
    expect(statuses).toEqual([200, 500, 500, 200, 200]);
  });

  it("draws probabilistic faults from a seeded RNG: same seed, same sequence", async () => {
    const run = async (seed: number) => {
      const f = await startFakeCloudflare({ token: FAKE_TOKEN, zones: ["example.com"], seed });
      f.faults.add({ kind: "status", status: 500, probability: 0.5 });
      const seen: number[] = [];
      for (let i = 0; i < 24; i++) seen.push((await api(f, "GET", "/zones")).status);
      await f.stop();
      return seen;
    };
    const first = await run(7);
    expect(await run(7)).toEqual(first);
    expect(first).toContain(500);
    expect(first).toContain(200);
  });

  it("a reset closes the connection without an answer", async () => {
    const f = await fake();
    f.faults.add({ kind: "reset" });
    await expect(fetch(`${f.url}/zones`, { headers: { Authorization: `Bearer ${FAKE_TOKEN}` } })).rejects.toThrow();
  });

  it("a hang with delayMs answers normally after the delay", async () => {
    const f = await fake();
    f.faults.add({ kind: "hang", delayMs: 150 });
    const started = Date.now();
    const r = await api(f, "GET", "/zones");
    expect(r.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("a hang without delay never answers (until the fake stops)", async () => {
    const f = await fake();
    f.faults.add({ kind: "hang" });
    const r = await fetch(`${f.url}/zones`, { headers: { Authorization: `Bearer ${FAKE_TOKEN}` }, signal: AbortSignal.timeout(200) }).catch((e: Error) => e.name);
    expect(r).toBe("TimeoutError");
  });

  it.each<{ name: string; afterApply: boolean; held: string[] }>([
    { name: "afterApply: the write happens, the answer is lost", afterApply: true, held: ["192.0.2.1"] },
    { name: "before: nothing happens", afterApply: false, held: [] },
  ])("$name", async ({ afterApply, held }) => {
    const f = await fake();
    f.faults.add({ kind: "reset", method: "POST", afterApply });
    const sent = fetch(`${f.url}${records(f)}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${FAKE_TOKEN}`, "Content-Type": "application/json" },
      body: JSON.stringify({ type: "A", name: "www.example.com", content: "192.0.2.1" }),
    });
    await expect(sent).rejects.toThrow();
    expect(f.contents("www.example.com", "A")).toEqual(held);
  });
});

describe("fake Cloudflare: rate limit headers", () => {
  it("sends Ratelimit and Ratelimit-Policy, and 429 with Retry-After past the limit", async () => {
    const f = await fake({ rateLimit: { limit: 2, windowSeconds: 60 } });
    const first = await api(f, "GET", "/zones");
    expect(first.headers.get("ratelimit")).toBe('"default";r=1;t=60');
    expect(first.headers.get("ratelimit-policy")).toBe('"default";q=2;w=60');
    expect((await api(f, "GET", "/zones")).headers.get("ratelimit")).toMatch(/^"default";r=0;t=\d+$/);
    const third = await api(f, "GET", "/zones");
    expect({ status: third.status, codes: third.codes }).toEqual({ status: 429, codes: [971] });
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(55);
  });
});

describe("fake Cloudflare: control API over HTTP", () => {
  it("seeds, lists and removes records; logs requests; adds and clears faults", async () => {
    const f = await fake();
    // The control answers are JSON inspected loosely.
    const control = (path: string, init?: RequestInit) =>
      fetch(`${f.origin}/_control${path}`, init).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
    const seeded = await control("/records", { method: "POST", body: JSON.stringify([{ name: "www.example.com", type: "A", content: "192.0.2.1" }]) });
    expect(seeded.status).toBe(201);
    expect((await control("/records?name=www.example.com")).body.map((r: { content: string }) => r.content)).toEqual(["192.0.2.1"]);
    expect((await control("/zones")).body.map((z: { name: string }) => z.name)).toEqual(["example.com"]);

    await control("/faults", { method: "POST", body: JSON.stringify({ kind: "status", status: 502, times: 1 }) });
    expect((await control("/faults")).body).toEqual([{ kind: "status", status: 502, times: 1 }]);
    expect((await api(f, "GET", "/zones?name=example.com")).status).toBe(502);
    expect((await control("/requests")).body).toEqual([{ method: "GET", path: "/zones", query: { name: "example.com" }, fault: "status", at: expect.any(Number) }]);

    await control("/faults", { method: "POST", body: JSON.stringify({ kind: "status", status: 502, times: 5 }) });
    await control("/faults", { method: "DELETE" });
    expect((await api(f, "GET", "/zones")).status).toBe(200);
    expect((await control("/rng?seed=3", { method: "POST" })).status).toBe(200);

    await control(`/records?id=${seeded.body[0].id}`, { method: "DELETE" });
    expect(f.records()).toEqual([]);
    await control("/requests", { method: "DELETE" });
    expect(f.requests()).toEqual([]);
    expect((await control("/nothing")).status).toBe(404);
  });
});
