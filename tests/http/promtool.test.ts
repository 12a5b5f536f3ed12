import { describe, expect, it } from "bun:test";
import { createFixture, exerciseMetrics } from "./fixtures.ts";

/**
 * The real `promtool check metrics` (Debian package `prometheus`) on what `/metrics` answers. promtool reads the
 * exposition on stdin and exits non-zero on a parse error or a lint problem (missing HELP, counter not ending in
 * `_total`, …), printing the problems.
 */
const PROMTOOL = Bun.which("promtool");

function promtool(text: string): { code: number; output: string } {
  if (!PROMTOOL) {
    throw new Error("promtool is not installed: these tests need the real validator (Debian: apt-get install prometheus, which ships /usr/bin/promtool)");
  }
  const run = Bun.spawnSync([PROMTOOL, "check", "metrics"], { stdin: new TextEncoder().encode(text), stdout: "pipe", stderr: "pipe" });
  return { code: run.exitCode ?? -1, output: `${run.stdout.toString()}${run.stderr.toString()}`.trim() };
}

/** Record names as an attacker or a typo could write them: every character the label escaping must handle. */
const AWKWARD_NAMES = ["example.com", 'quote".example.com', "back\\slash.example.com", "new\nline.example.com", "ünïcode.example.com"];

describe("promtool check metrics", () => {
  it("finds promtool on this machine", () => {
    expect(PROMTOOL, "install the Debian package 'prometheus' for /usr/bin/promtool").toBeTruthy();
  });

  it.each([
    { name: "a fresh daemon (families with no samples yet)", fill: false, records: ["example.com"] },
    { name: "a busy daemon with histograms and label values that need escaping", fill: true, records: AWKWARD_NAMES },
  ])("accepts /metrics from $name", async ({ fill, records }) => {
    const f = createFixture({ records });
    if (fill) exerciseMetrics(f.metrics, records);
    await f.app.request("/healthz"); // so that ddns_http_requests_total has a sample
    const text = await (await f.app.request("/metrics")).text();
    if (fill) {
      expect(text).toContain('record="quote\\".example.com"');
      expect(text).toContain('record="back\\\\slash.example.com"');
      expect(text).toContain('record="new\\nline.example.com"');
      expect(text).toContain('ddns_ip_detection_duration_seconds_bucket{family="ipv4",le="+Inf"} 2');
    }
    expect(promtool(text)).toEqual({ code: 0, output: "" });
  });

  it.each([
    { name: "an unescaped quote in a label value", text: '# HELP x_total h\n# TYPE x_total counter\nx_total{a="b"c"} 1\n', problem: "parsing error" },
    { name: "a counter without HELP", text: "# TYPE y_total counter\ny_total 1\n", problem: "no help text" },
  ])("rejects $name, so a pass above means something", ({ text, problem }) => {
    const result = promtool(text);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(problem);
  });
});
