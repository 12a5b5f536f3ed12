import { describe, expect, it } from "bun:test";
import { abortableSleep } from "../../src/providers/kit/sleep.ts";

/** The templates' wait: a timer that the round's signal cuts short. */
describe("abortableSleep", () => {
  it.each([
    { name: "the time passes: true", abortAfterMs: undefined, expected: true },
    { name: "the signal fires first: false, at once", abortAfterMs: 5, expected: false },
    { name: "the signal had fired already: false", abortAfterMs: 0, expected: false },
  ])("$name", async ({ abortAfterMs, expected }) => {
    const controller = new AbortController();
    if (abortAfterMs === 0) controller.abort();
    else if (abortAfterMs !== undefined) setTimeout(() => controller.abort(), abortAfterMs);
    const started = Date.now();
    expect(await abortableSleep(abortAfterMs === undefined ? 20 : 5_000, controller.signal)).toBe(expected);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
