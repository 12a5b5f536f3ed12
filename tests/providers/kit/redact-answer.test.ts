import { describe, expect, it } from "bun:test";
import { createRedactor } from "../../../src/log/redact.ts";
import { parseRedactedJson, redactJson } from "../../../src/providers/kit/redact-answer.ts";

const SECRET = "tok-0123456789abcdef";
const redact = createRedactor([SECRET]);

describe("redactJson: every string of a parsed answer redacted, copied only where a secret was", () => {
  it.each([
    { name: "a string at the top", input: `"${SECRET}"`, expected: "[REDACTED]" },
    { name: "a value deep in an object", input: `{"a":{"b":[1,"x ${SECRET} y"]}}`, expected: { a: { b: [1, "x [REDACTED] y"] } } },
    { name: "a key", input: `{"${SECRET}":1,"c":2}`, expected: { "[REDACTED]": 1, c: 2 } },
    { name: "entries before and after the secret kept in order", input: `{"a":1,"b":"${SECRET}","c":[true,null]}`, expected: { a: 1, b: "[REDACTED]", c: [true, null] } },
    { name: "an array element after others", input: `["a","b","${SECRET}","d"]`, expected: ["a", "b", "[REDACTED]", "d"] },
  ])("redacts $name", ({ input, expected }) => {
    const parsed = parseRedactedJson(input, redact);
    expect(parsed).toEqual({ ok: true, json: expected });
    expect(JSON.stringify(parsed.ok && parsed.json)).not.toContain(SECRET);
    if (parsed.ok && typeof parsed.json === "object") expect(Object.keys(parsed.json as object)).toEqual(Object.keys(expected as object));
  });

  it("hands back an answer without a secret as it is, with no copy of it", () => {
    const answer = JSON.parse(`{"success":true,"result":{"patches":[{"id":"1","content":"203.0.113.7","tags":[],"meta":{}}]}}`);
    expect(redactJson(answer, redact)).toBe(answer);
  });

  it("copies only the branch that held the secret and leaves the parsed input untouched", () => {
    const answer = JSON.parse(`{"clean":{"id":"1"},"dirty":{"message":"bad token ${SECRET}"}}`);
    const out = redactJson(answer, redact) as typeof answer;
    expect(out).not.toBe(answer);
    expect(out.clean).toBe(answer.clean);
    expect(out.dirty).toEqual({ message: "bad token [REDACTED]" });
    expect(answer.dirty.message).toBe(`bad token ${SECRET}`);
  });

  it("cuts nesting deeper than 64 levels to null", () => {
    const deep = JSON.parse(`${"[".repeat(70)}1${"]".repeat(70)}`);
    let out = redactJson(deep, redact);
    let levels = 0;
    while (Array.isArray(out)) {
      out = out[0];
      levels += 1;
    }
    expect({ levels, innermost: out }).toEqual({ levels: 64, innermost: null });
  });
});
