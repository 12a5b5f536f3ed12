import { createApp } from "../../src/http/app.ts";
import { createStatusBoard, type StatusBoard } from "../../src/engine/status-board.ts";
import { createDaemonMetrics, type DaemonMetrics } from "../../src/metrics/daemon-metrics.ts";
import type { Family, RecordType } from "../../src/core/family.ts";

/** Shared setup for the HTTP tests: a real status board and metrics on a clock the test moves. */
export const VERSION = "9.8.7-test";
export const STALE_AFTER_MS = 300_000;
export const START_MS = Date.parse("2025-01-02T03:04:05.000Z");

/** Every metric name the contract fixes. */
export const CONTRACT_METRICS = [
  "ddns_build_info",
  "ddns_ip_detections_total",
  "ddns_ip_changes_total",
  "ddns_record_updates_total",
  "ddns_record_last_success_timestamp_seconds",
  "ddns_records_managed",
  "process_resident_memory_bytes",
  "process_start_time_seconds",
] as const;

export interface Fixture {
  status: StatusBoard;
  metrics: DaemonMetrics;
  app: ReturnType<typeof createApp>;
  /** Moves the board's clock forward. */
  advance(ms: number): void;
}

export function createFixture(opts: { records?: readonly string[]; families?: Family[]; runtime?: string } = {}): Fixture {
  let now = START_MS;
  const families = opts.families ?? [4, 6];
  const names = opts.records ?? ["example.com", "www.example.com"];
  const records = families.flatMap((f) => names.map((name) => ({ target: "cloudflare", name, type: (f === 4 ? "A" : "AAAA") as RecordType })));
  const runtime = opts.runtime ?? "bun";
  const status = createStatusBoard({ version: VERSION, runtime, now: () => now, families, records, staleAfterMs: STALE_AFTER_MS });
  const metrics = createDaemonMetrics({ version: VERSION, runtime, startTimeSeconds: START_MS / 1000, rss: () => 12_345_678 });
  metrics.recordsManaged.set(records.length);
  const app = createApp({ status, metrics, version: VERSION, runtime, now: () => now });
  return { status, metrics, app, advance: (ms) => void (now += ms) };
}

/** Fills a registry the way a few rounds would, with record names that need escaping in label values. */
export function exerciseMetrics(metrics: DaemonMetrics, names: readonly string[]): void {
  for (const family of ["ipv4", "ipv6"]) {
    metrics.detections.inc({ family, result: "ok" }, 3);
    metrics.detections.inc({ family, result: "failed" });
    metrics.detectionSeconds.observe(0.042, { family });
    metrics.detectionSeconds.observe(7, { family });
    metrics.ipChanges.inc({ family });
  }
  for (const record of names) {
    for (const type of ["A", "AAAA"]) {
      metrics.recordUpdates.inc({ type, result: "updated" });
      metrics.recordLastSuccess.set(START_MS / 1000 + 60, { record, type });
      metrics.recordFailing.set(0, { record, type });
    }
  }
  metrics.providerRequests.inc({ provider: "cloudflare", outcome: "ok" }, 5);
  metrics.providerRequests.inc({ provider: "cloudflare", outcome: "rate-limited" });
  metrics.rounds.inc({ result: "ok" });
  metrics.stateWrites.inc({ result: "ok" });
  metrics.shutdownSeconds.set(0.25);
}
