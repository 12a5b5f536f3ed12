import { describe, expect, it } from "bun:test";
import { retryAfterOrReset } from "../../src/providers/kit/retry-after.ts";

const NOW = 1_700_000_000_000;

describe("how long a 429 asks to wait (retryAfterOrReset)", () => {
  it.each([
    { name: "Retry-After wins over a reset header", failure: { retryAfterMs: 5000, headers: new Headers({ "ratelimit-reset": String(NOW / 1000 + 60) }) }, want: 5000 },
    { name: "the reset header's epoch second, when no Retry-After", failure: { headers: new Headers({ "ratelimit-reset": String(NOW / 1000 + 60) }) }, want: 60_000 },
    { name: "a reset already past waits a second", failure: { headers: new Headers({ "ratelimit-reset": String(NOW / 1000 - 10) }) }, want: 1000 },
    { name: "another header's name is not read", failure: { headers: new Headers({ "x-ratelimit-reset": String(NOW / 1000 + 60) }) }, want: undefined },
    { name: "neither", failure: {}, want: undefined },
  ])("$name", ({ failure, want }) => {
    expect(retryAfterOrReset(failure, "ratelimit-reset", NOW)).toBe(want);
  });
});
