import { describe, expect, it } from "bun:test";
import { createLogger } from "../../src/log/logger.ts";
import { escapeControl } from "../../src/log/control-chars.ts";

function capture(format: "text" | "json", secrets: string[] = []) {
  const written: string[] = [];
  const log = createLogger({ level: "trace", format, secrets, write: (l) => written.push(l), now: () => new Date(0) });
  return { log, written, output: () => written.join("") };
}

/** Every character a value could use to break a line or drive a terminal, with its escaped text form. */
const CONTROLS = [
  { name: "LF", raw: "\n", text: "\\n" },
  { name: "CR LF", raw: "\r\n", text: "\\r\\n" },
  { name: "tab", raw: "\t", text: "\\t" },
  { name: "NUL", raw: "\u0000", text: "\\x00" },
  { name: "ESC (terminal sequences)", raw: "\u001b[31m", text: "\\x1b[31m" },
  { name: "vertical tab", raw: "\u000b", text: "\\x0b" },
  { name: "form feed", raw: "\u000c", text: "\\x0c" },
  { name: "DEL", raw: "\u007f", text: "\\x7f" },
  { name: "NEL (C1)", raw: "\u0085", text: "\\x85" },
  { name: "CSI (C1)", raw: "\u009b", text: "\\x9b" },
  { name: "line separator", raw: "\u2028", text: "\\u2028" },
  { name: "paragraph separator", raw: "\u2029", text: "\\u2029" },
];

describe("text log lines cannot be forged", () => {
  it.each(CONTROLS)("escapes $name in the message", ({ raw, text }) => {
    const { log, written, output } = capture("text");
    log.warn(`Unknown variable DDNS_X${raw}INFO Forged line is ignored`);
    expect(written).toEqual([`WARN Unknown variable DDNS_X${text}INFO Forged line is ignored\n`]);
    expect(output().split("\n")).toHaveLength(2);
  });

  it.each(CONTROLS)("escapes $name in a field's value and key", ({ raw, text }) => {
    const { log, written } = capture("text");
    log.info("Record read", { content: `203.0.113.9${raw}INFO forged`, [`k${raw}`]: "v" });
    expect(written).toHaveLength(1);
    expect(written[0]!.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    expect(written[0]).toContain(`k${text}=v`);
    expect(written[0]!.endsWith("\n")).toBe(true);
  });

  it("keeps a value's quoting readable (JSON.stringify's escapes stay as they were)", () => {
    const { log, written } = capture("text");
    log.info("Updated", { content: "203.0.113.9\r\nINFO forged", plain: "203.0.113.9" });
    expect(written).toEqual(['INFO Updated content="203.0.113.9\\r\\nINFO forged" plain=203.0.113.9\n']);
  });

  it("redacts a secret that contains a control character before escaping it", () => {
    const { log, written } = capture("text", ["tok\u007fen-123456"]);
    log.error("Provider said: bad token tok\u007fen-123456");
    expect(written).toEqual(["ERROR Provider said: bad token [REDACTED]\n"]);
  });

  it("leaves ordinary text, quotes, backslashes and non-ASCII letters alone", () => {
    expect(escapeControl('Updated A record "café.example.com" C:\\state → 203.0.113.8')).toBe('Updated A record "café.example.com" C:\\state → 203.0.113.8');
  });
});

describe("JSON log lines", () => {
  it.each(CONTROLS)("stay one parseable object per line with $name in message, value and key", ({ raw }) => {
    const { log, written, output } = capture("json");
    const message = `Unknown variable DDNS_X${raw}INFO Forged line`;
    log.warn(message, { content: `203.0.113.9${raw}x`, [`k${raw}`]: "v" });
    expect(written).toHaveLength(1);
    expect(output().split("\n")).toHaveLength(2);
    expect(output().slice(0, -1)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    expect(JSON.parse(written[0]!)).toEqual({ time: "1970-01-01T00:00:00.000Z", level: "warn", msg: message, content: `203.0.113.9${raw}x`, [`k${raw}`]: "v" });
  });
});
