import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import * as v from "valibot";
import { shaped } from "../../src/providers/kit/answer.ts";
import { createRateLimiter } from "../../src/providers/kit/rate-limiter.ts";
import { createRestApi, type RestApiOptions } from "../../src/providers/kit/rest-api.ts";
import { json, startFakeService, type FakeService } from "../fakes/kit/fake-service.ts";

/** The REST glue over a strict fake made with the fake-service kit: answers, service errors, faults, metrics. */
const TOKEN = "rest-api-token-5566";
let fake: FakeService;
const seen: string[] = [];

beforeAll(async () => {
  fake = await startFakeService({
    name: "Example API",
    basePath: "/v1",
    auth: (req) => (req.headers.get("authorization") === `Bearer ${TOKEN}` ? undefined : json(401, { error: "unauthorized", token: req.headers.get("authorization") })),
    error: (status, message) => json(status, { error: message }),
    routes: [
      { method: "GET", path: "/zones/:zone", handle: ({ params }) => json(200, { zone: params.zone }) },
      { method: "PUT", path: "/zones/:zone/xml", write: true, handle: ({ text, headers }) => json(200, { text, type: headers.get("content-type") }) },
      { method: "POST", path: "/zones/:zone/records", write: true, body: v.strictObject({ name: v.string(), content: v.string() }), handle: ({ body }) => json(201, body) },
    ],
  });
});
afterAll(() => fake.stop());

const api = (token = TOKEN, extra: Partial<RestApiOptions> = {}) =>
  createRestApi(
    { fetch, now: Date.now, userAgent: "ddnsd-test", onRequest: (o) => void seen.push(o) },
    {
      service: "Example",
      baseUrl: fake.url,
      headers: { Authorization: `Bearer ${token}` },
      secrets: [token],
      explain: (f) => (f.status === 422 ? { kind: "config", reason: `Example refused the record (${JSON.stringify((f.json as { error?: string })?.error)})` } : undefined),
      ...extra,
    },
  );
const signal = () => AbortSignal.timeout(3000);

describe("the REST glue of the kit", () => {
  it("returns the parsed answer and counts the call", async () => {
    seen.length = 0;
    expect(await api().call("GET", "/zones/example.com", { signal: signal() })).toEqual({ ok: true, value: { zone: "example.com" } });
    expect(seen).toEqual(["ok"]);
  });

  it("sorts a refused credential as auth, never echoing the token", async () => {
    const answer = await api("wrong-token-7788").call("GET", "/zones/example.com", { signal: signal() });
    expect(answer).toMatchObject({ ok: false, problem: { kind: "auth" } });
    expect(JSON.stringify(answer)).not.toContain("wrong-token-7788");
  });

  it("lets the provider word its service's error body", async () => {
    const answer = await api().call("POST", "/zones/example.com/records", { body: { name: "a", content: "x", extra: 1 }, signal: signal() });
    expect(answer).toEqual({ ok: false, problem: { kind: "config", reason: 'Example refused the record ("extra: Invalid key: Expected never but received \\"extra\\"")', mayHaveArrived: false } });
  });

  it.each([
    { fault: "html" as const, kind: "transient" },
    { fault: "rate-limit" as const, kind: "rate-limited" },
    { fault: "gzip-bomb" as const, kind: "transient" },
    { fault: "endless" as const, kind: "transient" },
    { fault: "redirect" as const, kind: "config" },
  ])("turns a $fault answer into a $kind problem", async ({ fault, kind }) => {
    fake.fault({ kind: fault, path: "/zones/*", retryAfter: 2 });
    const answer = await api().call("GET", "/zones/example.com", { signal: signal() });
    expect(answer).toMatchObject({ ok: false, problem: { kind } });
    if (fault === "rate-limit") expect(answer).toMatchObject({ problem: { retryAfterMs: 2000 } });
  });

  it("marks a write whose answer was lost as possibly arrived", async () => {
    fake.fault({ kind: "reset", method: "POST", afterApply: true });
    const before = fake.writes();
    const answer = await api().call("POST", "/zones/example.com/records", { body: { name: "a", content: "x" }, signal: signal() });
    expect(answer).toMatchObject({ ok: false, problem: { kind: "transient", mayHaveArrived: true } });
    expect(fake.writes()).toBe(before + 1);
  });

  it.each([
    { name: "a 404 of a read that may miss is the value undefined", path: "/nothing/here", fault: undefined, missingOk: true, expected: { ok: true, value: undefined }, counted: "ok" },
    { name: "a 404 is a problem when the read must find something", path: "/nothing/here", fault: undefined, missingOk: false, expected: { ok: false, problem: { kind: "config" } }, counted: "error" },
    { name: "an HTML 404 page stays a failure (a proxy, not the service)", path: "/zones/example.com", fault: { kind: "html" as const, status: 404, path: "/zones/*" }, missingOk: true, expected: { ok: false, problem: { kind: "transient" } }, counted: "error" },
  ])("$name", async ({ path, fault, missingOk, expected, counted }) => {
    if (fault) fake.fault(fault);
    seen.length = 0;
    expect(await api().call("GET", path, { signal: signal(), missingOk })).toMatchObject(expected);
    expect(seen).toEqual([counted]);
  });

  it("quotes the service's error text from its envelope instead of the whole body", async () => {
    const words = createRestApi(
      { fetch, now: Date.now, userAgent: "ddnsd-test", onRequest: () => {} },
      { service: "Example", baseUrl: fake.url, secrets: [TOKEN], headers: { Authorization: `Bearer ${TOKEN}` }, errorText: (f) => (f.json as { error?: string })?.error },
    );
    fake.fault({ kind: "status", status: 500, path: "/zones/*", message: "database is locked" });
    const answer = await words.call("GET", "/zones/example.com", { signal: signal() });
    expect(answer).toMatchObject({ ok: false, problem: { kind: "transient", reason: 'Example failed (HTTP 500: "database is locked")' } });
  });
});

describe("answers in the documented shape", () => {
  const schema = v.object({ zones: v.array(v.object({ name: v.string() })) });
  it.each([
    { name: "the documented shape, extra keys and all", value: { zones: [{ name: "a", id: 1 }], page: 1 }, expected: { ok: true, value: { zones: [{ name: "a" }] } } },
    { name: "another shape", value: { zones: [{ id: 1 }] }, expected: { ok: false, problem: { kind: "transient", reason: 'the zone list is not in the documented shape (at "zones.0.name"); if this persists, check DDNS_PROVIDER_API_URL' } } },
  ])("$name", ({ value, expected }) => {
    expect(shaped({ ok: true, value }, schema, "the zone list")).toEqual(expected as never);
  });

  it("passes a problem through unchanged", () => {
    const problem = { kind: "auth" as const, reason: "refused" };
    expect(shaped({ ok: false, problem }, schema, "the zone list")).toEqual({ ok: false, problem });
  });
});

describe("the REST glue of the kit: a service's verdict on a 2xx answer", () => {
  /** The fake echoes the zone: "refused.example" stands for an answer saying no, "odd.example" for one of another shape. */
  const verdict = (json: unknown) => {
    const zone = (json as { zone?: string } | undefined)?.zone;
    return zone === "refused.example" ? "refused" : zone === "odd.example" ? "unreadable" : "ok";
  };
  const explain = (f: import("../../src/providers/kit/http-types.ts").HttpFailure) =>
    f.reason === "http" && f.status === 200 ? { kind: "config" as const, reason: `Example said no to ${JSON.stringify((f.json as { zone?: string }).zone)}` } : undefined;

  it.each([
    { name: "its own no, explained from the body and counted as an error", zone: "refused.example", problem: { kind: "config", reason: 'Example said no to "refused.example"', mayHaveArrived: false } },
    { name: "an answer of another shape, which a read never leaves unconfirmed", zone: "odd.example", problem: { kind: "transient", reason: "Example answered HTTP 200 with something that is not JSON; if this persists, check DDNS_PROVIDER_API_URL", mayHaveArrived: false } },
    { name: "its yes, passed through", zone: "example.com", value: { zone: "example.com" } },
  ])("$name", async ({ zone, problem, value }) => {
    seen.length = 0;
    const answer = await api(TOKEN, { verdict, explain }).call("GET", `/zones/${zone}`, { signal: signal() });
    expect(answer).toEqual(problem ? { ok: false, problem } : { ok: true, value });
    expect(seen).toEqual([problem ? "error" : "ok"]);
  });

  it("an answer of another shape to a write may hide a completed write", async () => {
    const odd = (json: unknown) => ((json as { name?: string })?.name === "odd" ? "unreadable" : "ok");
    const answer = await api(TOKEN, { verdict: odd }).call("POST", "/zones/example.com/records", { body: { name: "odd", content: "x" }, signal: signal() });
    expect(answer).toMatchObject({ ok: false, problem: { kind: "transient", mayHaveArrived: true } });
  });
});

describe("the REST glue of the kit: a client-side budget", () => {
  it("holds a call back once the budget is spent: nothing sent, nothing counted, rate-limited with the wait", async () => {
    seen.length = 0;
    let now = 1_000_000;
    const limiter = createRateLimiter({ limit: 1, windowMs: 60_000, maxWaitMs: 0, now: () => now });
    const budgeted = api(TOKEN, { limiter });
    const sent = fake.requests.length;
    expect(await budgeted.call("GET", "/zones/example.com", { signal: signal() })).toMatchObject({ ok: true });
    now += 15_000;
    expect(await budgeted.call("GET", "/zones/example.com", { signal: signal() })).toEqual({
      ok: false,
      problem: { kind: "rate-limited", reason: "ddnsd held the request back to stay within Example's rate limit", retryAfterMs: 45_000 },
    });
    expect({ sent: fake.requests.length - sent, seen }).toEqual({ sent: 1, seen: ["ok"] });
  });

  it("pauses as long as a 429's Retry-After asks", async () => {
    const limiter = createRateLimiter({ limit: 100, windowMs: 60_000, maxWaitMs: 0, now: () => 1_000_000 });
    const budgeted = api(TOKEN, { limiter });
    fake.fault({ kind: "rate-limit", path: "/zones/*", retryAfter: 7 });
    expect(await budgeted.call("GET", "/zones/example.com", { signal: signal() })).toMatchObject({ ok: false, problem: { kind: "rate-limited", retryAfterMs: 7000 } });
    const sent = fake.requests.length;
    expect(await budgeted.call("GET", "/zones/example.com", { signal: signal() })).toMatchObject({ ok: false, problem: { kind: "rate-limited", retryAfterMs: 7000 } });
    expect(fake.requests.length).toBe(sent);
  });
});

describe("string bodies (XML APIs)", () => {
  it("sends a string body as it is, with the Content-Type the call gives", async () => {
    const body = `<?xml version="1.0"?><Change><Value>203.0.113.1</Value></Change>`;
    const a = await api().call("PUT", "/zones/example.com/xml", { body, headers: { "Content-Type": "text/xml" }, signal: signal() });
    expect(a).toEqual({ ok: true, value: { text: body, type: "text/xml" } });
  });
});
