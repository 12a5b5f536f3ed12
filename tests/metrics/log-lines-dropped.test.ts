import { describe, expect, it } from "bun:test";
import { createDaemonMetrics } from "../../src/metrics/daemon-metrics.ts";

describe("ddns_log_lines_dropped_total", () => {
  it("exists at 0 from the start and follows the log writer's count", () => {
    let dropped = 0;
    const m = createDaemonMetrics({ version: "t", runtime: "bun", startTimeSeconds: 1, rss: () => 1, logLinesDropped: () => dropped });
    expect(m.registry.render()).toContain("# TYPE ddns_log_lines_dropped_total counter\nddns_log_lines_dropped_total 0\n");
    dropped = 1234;
    expect(m.registry.render()).toContain("\nddns_log_lines_dropped_total 1234\n");
    dropped = 1240;
    expect(m.registry.render()).toContain("\nddns_log_lines_dropped_total 1240\n");
  });

  it("stays at 0 without a log writer (tests, the Worker)", () => {
    const m = createDaemonMetrics({ version: "t", runtime: "bun", startTimeSeconds: 1, rss: () => 1 });
    expect(m.registry.render()).toContain("\nddns_log_lines_dropped_total 0\n");
  });
});
