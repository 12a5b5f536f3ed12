import { describe, expect, it } from "bun:test";
import { createRateLimiter, parseRateLimitItems } from "../../src/providers/kit/rate-limiter.ts";
import { parseRetryAfter } from "../../src/providers/kit/retry-after.ts";

const never = new AbortController().signal;

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe("kit rate limiter: header parsing", () => {
  it.each([
    { name: "delta seconds", value: "30", expected: 30_000 },
    { name: "zero", value: "0", expected: 0 },
    { name: "fractional seconds round up", value: "1.2", expected: 1_200 },
    { name: "an HTTP date ten seconds ahead", value: new Date(1_000_000 + 10_000).toUTCString(), expected: 10_000 },
    { name: "empty", value: "", expected: undefined },
    { name: "garbage", value: "soon", expected: undefined },
    { name: "negative", value: "-5", expected: undefined },
    { name: "absent", value: null, expected: undefined },
  ])("Retry-After: $name", ({ value, expected }) => {
    expect(parseRetryAfter(value, 1_000_000)).toBe(expected);
  });

  it.each<{ name: string; value: string | null; expected: Array<{ name: string; params: Record<string, number> }> }>([
    { name: "one limit item", value: '"default";r=50;t=30', expected: [{ name: "default", params: { r: 50, t: 30 } }] },
    { name: "a list of policies", value: '"default";q=1200;w=300, "burst";q=100;w=60', expected: [{ name: "default", params: { q: 1200, w: 300 } }, { name: "burst", params: { q: 100, w: 60 } }] },
    { name: "nothing", value: null, expected: [] },
  ])("Ratelimit structured fields: $name", ({ value, expected }) => {
    expect(parseRateLimitItems(value)).toEqual(expected);
  });
});

describe("kit rate limiter: budget", () => {
  it("allows `limit` requests per window, then says how long to wait", async () => {
    const c = clock();
    const limiter = createRateLimiter({ limit: 2, windowMs: 1_000, maxWaitMs: 0, now: c.now });
    expect(await limiter.acquire(never)).toEqual({ ok: true });
    c.advance(400);
    expect(await limiter.acquire(never)).toEqual({ ok: true });
    expect(await limiter.acquire(never)).toEqual({ ok: false, retryAfterMs: 600 });
    c.advance(600);
    expect(await limiter.acquire(never)).toEqual({ ok: true });
  });

  it.each<{ name: string; status: number; headers: Record<string, string>; wait: number }>([
    { name: "Retry-After on a 429", status: 429, headers: { "Retry-After": "5" }, wait: 5_000 },
    { name: "Ratelimit with nothing remaining", status: 200, headers: { Ratelimit: '"default";r=0;t=7' }, wait: 7_000 },
    { name: "Retry-After without a 429 is ignored", status: 200, headers: { "Retry-After": "5" }, wait: 0 },
    { name: "Ratelimit with quota remaining", status: 200, headers: { Ratelimit: '"default";r=10;t=7' }, wait: 0 },
  ])("pauses for what the service announces: $name", async ({ status, headers, wait }) => {
    const c = clock();
    const limiter = createRateLimiter({ limit: 100, windowMs: 1_000, maxWaitMs: 0, now: c.now });
    limiter.observe(new Headers(headers), status);
    expect(await limiter.acquire(never)).toEqual(wait === 0 ? { ok: true } : { ok: false, retryAfterMs: wait });
  });

  it("learns a stricter quota from Ratelimit-Policy", async () => {
    const c = clock();
    const limiter = createRateLimiter({ limit: 100, windowMs: 1_000, maxWaitMs: 0, now: c.now });
    limiter.observe(new Headers({ "Ratelimit-Policy": '"burst";q=1;w=10' }), 200);
    expect(await limiter.acquire(never)).toEqual({ ok: true });
    expect(await limiter.acquire(never)).toEqual({ ok: false, retryAfterMs: 10_000 });
  });

  it("waits out a wait shorter than maxWaitMs, and gives up when the signal aborts", async () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 60, maxWaitMs: 1_000, now: Date.now });
    await limiter.acquire(never);
    const started = Date.now();
    expect(await limiter.acquire(never)).toEqual({ ok: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
    const aborted = AbortSignal.timeout(5);
    expect(await limiter.acquire(aborted)).toEqual({ ok: false, aborted: true });
  });
});
