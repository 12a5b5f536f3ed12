import { describe, expect, it } from "bun:test";
import { mapAnswer, ok, type Answer } from "../../src/providers/kit/answer.ts";

/** What a provider's API functions do with an answer: turn the value, pass a problem through untouched. */
describe("mapAnswer", () => {
  it("turns the value of an answer", () => {
    expect(mapAnswer(ok({ records: [1, 2] }), (body) => body.records.length)).toEqual({ ok: true, value: 2 });
  });

  it("passes a problem through as it is, without calling the function", () => {
    const problem: Answer<number> = { ok: false, problem: { kind: "auth", reason: "refused", retryAfterMs: 5 } };
    let called = false;
    expect(mapAnswer(problem, () => (called = true))).toBe(problem as never);
    expect(called).toBe(false);
  });
});
