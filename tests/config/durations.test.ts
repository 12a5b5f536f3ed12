import { describe, expect, it } from "bun:test";
import { formatDuration, parseDuration } from "../../src/core/durations.ts";

describe("durations", () => {
  it.each([
    { text: "30s", ms: 30_000 },
    { text: "5m", ms: 300_000 },
    { text: "1h", ms: 3_600_000 },
    { text: "1h30m", ms: 5_400_000 },
    { text: "250ms", ms: 250 },
    { text: "1.5s", ms: 1500 },
    { text: "2D", ms: 172_800_000 },
    { text: "", ms: undefined },
    { text: "300", ms: undefined },
    { text: "-5s", ms: undefined },
    { text: "5 m", ms: undefined },
    { text: "1h 30m", ms: undefined },
  ])("parses $text", ({ text, ms }) => expect(parseDuration(text)).toBe(ms));

  it.each([
    { ms: 30_000, text: "30s" },
    { ms: 90_000, text: "1m30s" },
    { ms: 3_600_000, text: "1h" },
    { ms: 1500, text: "1.5s" },
    { ms: 250, text: "250ms" },
  ])("formats $ms", ({ ms, text }) => expect(formatDuration(ms)).toBe(text));
});
