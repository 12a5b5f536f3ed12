import { describe, expect, it } from "bun:test";
import { createHostLimiter, createLockout, createSlidingWindow } from "../../src/update-server/limits.ts";

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

describe("lockout", () => {
  it("locks a client out after the configured failures, for the window, then lets it try again", () => {
    const c = clock();
    const lockout = createLockout({ policy: { count: 3, windowMs: 60_000 }, now: c.now });
    expect([lockout.failure("a"), lockout.failure("a")]).toEqual([{ lockedNow: false, failures: 1 }, { lockedNow: false, failures: 2 }]);
    expect(lockout.lockedFor("a")).toBe(0);
    expect(lockout.failure("a")).toEqual({ lockedNow: true, failures: 3 });
    expect(lockout.lockedFor("a")).toBe(60_000);
    expect(lockout.lockedFor("b")).toBe(0);
    c.advance(59_999);
    expect(lockout.lockedFor("a")).toBe(1);
    c.advance(1);
    expect(lockout.lockedFor("a")).toBe(0);
    expect(lockout.failure("a")).toEqual({ lockedNow: false, failures: 1 });
  });

  it.each([
    { name: "failures spread wider than the window never lock", gapMs: 30_001, locked: false },
    { name: "failures within the window lock", gapMs: 29_999, locked: true },
  ])("$name", ({ gapMs, locked }) => {
    const c = clock();
    const lockout = createLockout({ policy: { count: 3, windowMs: 60_000 }, now: c.now });
    lockout.failure("a");
    c.advance(gapMs);
    lockout.failure("a");
    c.advance(gapMs);
    expect(lockout.failure("a").lockedNow).toBe(locked);
  });

  it("a successful login clears the failures counted so far", () => {
    const c = clock();
    const lockout = createLockout({ policy: { count: 2, windowMs: 60_000 }, now: c.now });
    lockout.failure("a");
    lockout.success("a");
    expect(lockout.failure("a")).toEqual({ lockedNow: false, failures: 1 });
  });

  it("reserves checks synchronously: running checks count against the limit, settled ones free their place", () => {
    const c = clock();
    const lockout = createLockout({ policy: { count: 3, windowMs: 60_000 }, now: c.now });
    expect([lockout.reserve("a"), lockout.reserve("a"), lockout.reserve("a")]).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(lockout.reserve("a")).toEqual({ ok: false, retryAfterMs: 1000 });
    expect(lockout.reserve("b")).toEqual({ ok: true });
    lockout.success("a");
    expect(lockout.reserve("a")).toEqual({ ok: true });
    expect(lockout.reserve("a")).toEqual({ ok: false, retryAfterMs: 1000 });
    expect([lockout.failure("a"), lockout.failure("a")]).toEqual([{ lockedNow: false, failures: 1 }, { lockedNow: false, failures: 2 }]);
    expect(lockout.reserve("a")).toEqual({ ok: false, retryAfterMs: 60_000 });
    expect(lockout.failure("a")).toEqual({ lockedNow: true, failures: 3 });
    expect(lockout.reserve("a")).toEqual({ ok: false, retryAfterMs: 60_000 });
  });

  it("with failures counted, only the attempts left can be reserved; the wait is until the oldest failure expires", () => {
    const c = clock();
    const lockout = createLockout({ policy: { count: 3, windowMs: 60_000 }, now: c.now });
    lockout.reserve("a");
    lockout.failure("a");
    c.advance(20_000);
    expect([lockout.reserve("a"), lockout.reserve("a"), lockout.reserve("a")]).toEqual([{ ok: true }, { ok: true }, { ok: false, retryAfterMs: 40_000 }]);
  });

  it("keeps a bounded number of clients", () => {
    const c = clock();
    const lockout = createLockout({ policy: { count: 1, windowMs: 60_000 }, now: c.now, maxClients: 3 });
    for (const client of ["a", "b", "c", "d"]) lockout.failure(client);
    expect(["a", "b", "c", "d"].map((k) => lockout.lockedFor(k) > 0)).toEqual([false, true, true, true]);
  });
});

describe("host rate limit", () => {
  it("allows the configured count per window and says when the next one is allowed", () => {
    const c = clock();
    const limiter = createHostLimiter({ policy: { count: 2, windowMs: 60_000 }, now: c.now });
    expect(limiter.take("home.example.com")).toEqual({ ok: true });
    c.advance(10_000);
    expect(limiter.take("home.example.com")).toEqual({ ok: true });
    expect(limiter.take("home.example.com")).toEqual({ ok: false, retryAfterMs: 50_000 });
    expect(limiter.take("www.example.com")).toEqual({ ok: true });
    c.advance(50_000);
    expect(limiter.take("home.example.com")).toEqual({ ok: true });
  });
});

describe("sliding window", () => {
  it("counts only events inside the window and keeps at most `limit` per key", () => {
    const c = clock(0);
    const w = createSlidingWindow({ limit: 2, windowMs: 100 });
    expect([w.add("k", c.now()), w.add("k", c.now()), w.add("k", c.now())]).toEqual([1, 2, 2]);
    c.advance(100);
    expect(w.count("k", c.now())).toBe(0);
    expect(w.waitMs("k", c.now())).toBe(0);
  });
});
