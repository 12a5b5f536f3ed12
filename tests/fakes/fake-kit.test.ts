import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { bearerAuth, bearerToken, json, startFakeService, type FakeService } from "./kit/fake-service.ts";
import { servePage } from "./kit/pagination.ts";

/** The general pieces of the fake-service kit each fake builds on: pages with links, bearer auth, budgets, counters. */
describe("servePage", () => {
  const items = ["a", "b", "c", "d", "e"];
  const at = (query: string) => servePage(items, new URL(`http://fake.test/v2/things?${query}`), { defaultPerPage: 2, maxPerPage: 3 });

  type Want = { items: string[]; page: number; perPage: number; pages: number; total: number; links: string[] };
  it.each<{ name: string; query: string; want: Want }>([
    { name: "page 1 links forward only", query: "", want: { items: ["a", "b"], page: 1, perPage: 2, pages: 3, total: 5, links: ["last", "next"] } },
    { name: "a middle page links both ways", query: "page=2", want: { items: ["c", "d"], page: 2, perPage: 2, pages: 3, total: 5, links: ["first", "last", "next", "prev"] } },
    { name: "the last page links back only", query: "page=3", want: { items: ["e"], page: 3, perPage: 2, pages: 3, total: 5, links: ["first", "prev"] } },
    { name: "a page size above the maximum is cut to it", query: "per_page=200", want: { items: ["a", "b", "c"], page: 1, perPage: 3, pages: 2, total: 5, links: ["last", "next"] } },
    { name: "a page past the end is empty", query: "page=9", want: { items: [], page: 9, perPage: 2, pages: 3, total: 5, links: ["first", "prev"] } },
  ])("$name", ({ query, want }) => {
    const page = at(query);
    if ("invalid" in page) throw new Error(page.invalid);
    expect({ ...page, links: Object.keys(page.links).sort() }).toEqual(want);
  });

  it("links keep the query and change the page only", () => {
    const page = at("type=A&page=2");
    if ("invalid" in page) throw new Error(page.invalid);
    expect(page.links).toEqual({
      first: "http://fake.test/v2/things?type=A&page=1",
      prev: "http://fake.test/v2/things?type=A&page=1",
      next: "http://fake.test/v2/things?type=A&page=3",
      last: "http://fake.test/v2/things?type=A&page=3",
    });
  });

  it.each(["page=0", "page=x", "per_page=-1"])("refuses %s", (query) => {
    expect(at(query)).toMatchObject({ invalid: expect.stringMatching(/must be a positive integer/) });
  });
});

describe("startFakeService", () => {
  let fake: FakeService;
  beforeAll(async () => {
    fake = await startFakeService({
      name: "Example",
      basePath: "/v1",
      auth: bearerAuth(["good-token"], () => json(401, { error: "no" })),
      error: (status, message) => json(status, { error: message }),
      rateLimit: { limit: 3, windowMs: 60_000, headers: (s) => ({ "x-remaining": String(s.remaining), "x-reset": String(Math.ceil(s.resetAt / 1000)) }) },
      routes: [
        { method: "GET", path: "/things", handle: () => json(200, { things: [] }) },
        { method: "POST", path: "/things", write: true, handle: () => json(201, {}) },
        { method: "DELETE", path: "/things/:id", write: true, handle: () => new Response(null, { status: 204 }) },
      ],
    });
  });
  afterAll(() => fake.stop());
  const send = (method: string, path: string, token = "good-token") => fetch(`${fake.url}${path}`, { method, headers: { Authorization: `Bearer ${token}` } });

  it("reads the bearer token whatever the scheme's case, and refuses any other", async () => {
    expect(bearerToken(new Request("http://x/", { headers: { Authorization: "bearer abc" } }))).toBe("abc");
    expect(bearerToken(new Request("http://x/", { headers: { Authorization: "Basic abc" } }))).toBeUndefined();
    expect((await send("GET", "/things", "bad-token")).status).toBe(401);
    expect(fake.writes()).toBe(0);
  });

  it("counts writes that took effect, per method", async () => {
    expect((await send("POST", "/things")).status).toBe(201);
    expect((await send("DELETE", "/things/1")).status).toBe(204);
    expect({ all: fake.writes(), POST: fake.writes("POST"), delete: fake.writes("delete"), PATCH: fake.writes("PATCH") }).toEqual({ all: 2, POST: 1, delete: 1, PATCH: 0 });
  });

  it("keeps a budget per credential, says so on every answer, and refuses past it with the service's 429", async () => {
    const third = await send("GET", "/things");
    expect(third.headers.get("x-remaining")).toBe("0");
    const over = await send("GET", "/things");
    expect(over.status).toBe(429);
    expect(await over.json()).toEqual({ error: "rate limit exceeded" });
    expect(Number(over.headers.get("x-reset"))).toBeGreaterThan(Date.now() / 1000 + 50);
    expect((await send("GET", "/things", "other-token")).headers.get("x-remaining")).toBe("2");
  });

  it("lets a fault plant its own headers (they win over the budget's) and leave out Retry-After", async () => {
    fake.fault({ kind: "rate-limit", retryAfter: null, headers: { "x-reset": "12345" }, path: "/things", times: 1 });
    const r = await send("GET", "/things", "third-token");
    expect({ status: r.status, retryAfter: r.headers.get("retry-after"), reset: r.headers.get("x-reset") }).toEqual({ status: 429, retryAfter: null, reset: "12345" });
  });
});
