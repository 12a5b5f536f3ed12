import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import * as v from "valibot";
import { shaped } from "../../src/providers/kit/answer.ts";
import { createRestApi } from "../../src/providers/kit/rest-api.ts";
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
      { method: "POST", path: "/zones/:zone/records", write: true, body: v.strictObject({ name: v.string(), content: v.string() }), handle: ({ body }) => json(201, body) },
    ],
  });
});
afterAll(() => fake.stop());

const api = (token = TOKEN) =>
  createRestApi(
    { fetch, now: Date.now, userAgent: "ddnsd-test", onRequest: (o) => void seen.push(o) },
    {
      service: "Example",
      baseUrl: fake.url,
      headers: { Authorization: `Bearer ${token}` },
      secrets: [token],
      explain: (f) => (f.status === 422 ? { kind: "config", reason: `Example refused the record (${JSON.stringify((f.json as { error?: string })?.error)})` } : undefined),
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
