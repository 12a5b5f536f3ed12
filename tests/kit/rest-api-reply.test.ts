import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { createRestApi } from "../../src/providers/kit/rest-api.ts";
import { serveRoutes, type RoutesServer } from "../fakes/routes-server.ts";

/**
 * `reply`: the kit's one text path for protocols that answer in the body whatever the status (update URLs). The
 * reader sees every answer with a body; what it cannot read is sorted by the kit; a GET marked `write` is a write
 * (a lost answer may have arrived). `/answer` answers with the status and body named in its query.
 */
const TOKEN = "reply-token-0123456789";
let server: RoutesServer;
const seen: string[] = [];

beforeAll(() => {
  server = serveRoutes({
    "/answer": (_req, url) => new Response(url.searchParams.get("body") ?? "", { status: Number(url.searchParams.get("status") ?? 200), headers: { "retry-after": "7" } }),
    "/slow": async () => {
      await Bun.sleep(400);
      return new Response("good");
    },
  });
});
afterAll(() => server.stop());

const api = (timeoutMs?: number) =>
  createRestApi(
    { fetch, now: Date.now, userAgent: "ddnsd-test", onRequest: (o) => void seen.push(o), ...(timeoutMs === undefined ? {} : { timeoutMs }) },
    { service: "Example", baseUrl: server.origin, secrets: [TOKEN], answerName: "an Example answer" },
  );
/** Reads `good` and `bad…` lines; anything else is no answer of the service. */
const read = (r: { status: number; text: string }) => (/^(good|bad)/.test(r.text) ? `${r.status} ${r.text}` : undefined);
const signal = () => AbortSignal.timeout(3000);

describe("the kit's reply call", () => {
  it.each([
    { name: "a 2xx the reader reads", status: 200, body: "good", answer: { ok: true, value: "200 good" }, observed: "ok" },
    { name: "a 401 the reader reads (its code wins over the status)", status: 401, body: "badauth", answer: { ok: true, value: "401 badauth" }, observed: "error" },
    {
      name: "a 2xx the reader cannot read: not the service's answer, possibly arrived",
      status: 200,
      body: "<html>hello</html>",
      answer: { ok: false, problem: { kind: "transient", reason: 'Example answered HTTP 200 with "<html>hello</html>", which is not an Example answer', mayHaveArrived: true } },
      observed: "error",
    },
    {
      name: "an empty 2xx",
      status: 200,
      body: "",
      answer: { ok: false, problem: { kind: "transient", reason: "Example answered HTTP 200 with an empty body, which is not an Example answer", mayHaveArrived: true } },
      observed: "error",
    },
    {
      name: "a 429 the reader cannot read: rate-limited with Retry-After",
      status: 429,
      body: "slow down",
      answer: { ok: false, problem: { kind: "rate-limited", reason: 'Example asked ddnsd to slow down (HTTP 429: "slow down")', retryAfterMs: 7000, mayHaveArrived: false } },
      observed: "rate-limited",
    },
    {
      name: "a 502 the reader cannot read: the kit's words, possibly arrived",
      status: 502,
      body: "Bad Gateway",
      answer: { ok: false, problem: { kind: "transient", reason: 'Example failed (HTTP 502: "Bad Gateway")', retryAfterMs: 7000, mayHaveArrived: true } },
      observed: "error",
    },
  ])("$name", async ({ status, body, answer, observed }) => {
    seen.length = 0;
    const got = await api().reply("GET", "/answer", { query: { status, body, key: TOKEN }, write: true, signal: signal() }, read);
    expect(got).toEqual(answer as never);
    expect(seen).toEqual([observed]);
  });

  it("the provider may count a read answer as an error (a refusal in a 200)", async () => {
    seen.length = 0;
    const got = await api().reply("GET", "/answer", { query: { status: 200, body: "bad host" }, write: true, signal: signal() }, read, (value) => (value.includes("bad") ? "error" : "ok"));
    expect(got).toEqual({ ok: true, value: "200 bad host" });
    expect(seen).toEqual(["error"]);
  });

  it("a GET marked write whose answer is lost may have arrived; the deadline comes from the provider's deps", async () => {
    const started = Date.now();
    const got = await api(50).reply("GET", "/slow", { write: true, signal: signal() }, read);
    expect(Date.now() - started).toBeLessThan(350);
    expect(got).toEqual({ ok: false, problem: { kind: "transient", reason: "Example did not answer within 0.1 s", mayHaveArrived: true } });
  });

  it("a plain GET whose answer is lost did not change anything", async () => {
    const got = await api(50).reply("GET", "/slow", { signal: signal() }, read);
    expect(got).toMatchObject({ ok: false, problem: { mayHaveArrived: false } });
  });

  it("the query's secret never reaches a reason", async () => {
    const got = await api().reply("GET", "/answer", { query: { status: 500, body: `echo ${TOKEN}`, key: TOKEN }, write: true, signal: signal() }, read);
    expect(JSON.stringify(got)).not.toContain(TOKEN);
    expect(got).toMatchObject({ ok: false, problem: { reason: 'Example failed (HTTP 500: "echo [REDACTED]")' } });
  });
});
