import { describe, expect, it } from "bun:test";
import { planRetry } from "../../src/engine/backoff.ts";
import type { FailureKind } from "../../src/providers/kit/types.ts";

const MID = 0.5; // the jitter draw that leaves a delay as it is

describe("retry delays", () => {
  it.each([
    { name: "a first transient fault is retried after 1 s", kind: "transient", level: 0, delayMs: 1_000, next: 1 },
    { name: "the second after 2 s", kind: "transient", level: 1, delayMs: 2_000, next: 2 },
    { name: "the fourth after 8 s", kind: "transient", level: 3, delayMs: 8_000, next: 4 },
    { name: "an outage is asked at most every 5 minutes", kind: "transient", level: 40, delayMs: 300_000, next: 41 },
    { name: "a refused token waits 30 s first", kind: "auth", level: 0, delayMs: 30_000, next: 1 },
    { name: "a configuration refusal climbs from 30 s", kind: "config", level: 1, delayMs: 60_000, next: 2 },
    { name: "a rate limit without Retry-After waits at least a minute", kind: "rate-limited", level: 0, delayMs: 60_000, next: 1 },
  ] satisfies Array<{ name: string; kind: FailureKind; level: number; delayMs: number; next: number }>)("$name", ({ kind, level, delayMs, next }) => {
    expect(planRetry({ kind }, level, MID)).toEqual({ delayMs, level: next });
  });

  it.each([
    { name: "Retry-After: 1 on a 429 is 1 s, and the backoff does not climb", kind: "rate-limited", retryAfterMs: 1_000, level: 3, expected: { delayMs: 1_000, level: 3 } },
    { name: "a fractional Retry-After is kept as given", kind: "rate-limited", retryAfterMs: 1_500, level: 0, expected: { delayMs: 1_500, level: 0 } },
    { name: "Retry-After: 0 still waits 1 s (no busy loop)", kind: "rate-limited", retryAfterMs: 0, level: 0, expected: { delayMs: 1_000, level: 0 } },
    { name: "an absurd Retry-After is capped at 1 h", kind: "rate-limited", retryAfterMs: 10 * 3_600_000, level: 0, expected: { delayMs: 3_600_000, level: 0 } },
    { name: "a provider's own pause on a transient fault is the delay, and the backoff climbs", kind: "transient", retryAfterMs: 1_800_000, level: 2, expected: { delayMs: 1_800_000, level: 3 } },
  ] satisfies Array<{ name: string; kind: FailureKind; retryAfterMs: number; level: number; expected: { delayMs: number; level: number } }>)(
    "$name",
    ({ kind, retryAfterMs, level, expected }) => {
      expect(planRetry({ kind, retryAfterMs }, level, Math.random())).toEqual(expected);
    },
  );

  it.each([
    { name: "the lowest draw", jitter: 0, delayMs: 26_000 },
    { name: "the highest draw", jitter: 0.999, delayMs: 38_000 },
  ])("spreads a computed 32 s by up to a fifth either way, in whole seconds: $name", ({ jitter, delayMs }) => {
    expect(planRetry({ kind: "transient" }, 5, jitter).delayMs).toBe(delayMs);
  });

  it("four transient faults in a row cost under 20 s in total, whatever the draws", () => {
    for (const jitter of [0, 0.5, 0.999]) {
      let level = 0;
      let total = 0;
      for (let i = 0; i < 4; i++) {
        const plan = planRetry({ kind: "transient" }, level, jitter);
        total += plan.delayMs;
        level = plan.level;
      }
      expect(total).toBeLessThan(20_000);
    }
  });
});
