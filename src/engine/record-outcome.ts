import type { Logger } from "../log/logger.ts";
import type { DaemonMetrics } from "../metrics/daemon-metrics.ts";
import type { RecordResult } from "../providers/types.ts";
import { stateKey, type RecordState } from "../state/types.ts";
import type { StatusBoard } from "./status-board.ts";
import { backoffDelay } from "./backoff.ts";
import { formatDuration } from "../config/durations.ts";

interface Attempt {
  content: string;
  failures: number;
  nextAt: number;
}

/**
 * Turns each provider result into the operator's view (log line, status, metrics), the retry schedule of failing
 * records, and the new stored state (returned; the reconciler keeps the map).
 */
export function createOutcomeRecorder(deps: {
  log: Logger;
  metrics: DaemonMetrics;
  status: StatusBoard;
  random: () => number;
}) {
  const attempts = new Map<string, Attempt>();
  const iso = (ms: number) => new Date(ms).toISOString();

  function record(result: RecordResult, stored: RecordState | undefined, now: number, aborted: boolean): RecordState | undefined {
    const { name, type, content } = result.request;
    const key = stateKey(name, type);
    const label = `${type} record ${name}`;
    if (!result.ok) {
      const previous = attempts.get(key);
      const failures = previous && previous.content === content ? previous.failures + 1 : 1;
      const delay = backoffDelay(failures, deps.random, undefined, result.retryAfterMs);
      attempts.set(key, { content, failures, nextAt: now + delay });
      deps.metrics.recordUpdates.inc({ type, result: "failed" });
      deps.metrics.recordFailing.set(1, { record: name, type });
      deps.status.setRecord(name, type, { state: "failing", lastError: result.message });
      if (aborted) {
        deps.log.info(`Stopped updating ${label} because the daemon is shutting down`);
      } else {
        const line = `Could not update ${label} to ${content}: ${result.message}; next attempt in ${formatDuration(delay)}`;
        if (result.kind === "transient" || result.kind === "rate-limited") deps.log.warn(line, { kind: result.kind, attempt: failures });
        else deps.log.error(line, { kind: result.kind, attempt: failures });
      }
      return undefined;
    }

    if (attempts.delete(key)) deps.log.info(`${label} recovered`);
    deps.metrics.recordUpdates.inc({ type, result: result.outcome });
    if (result.outcome === "planned") {
      const before = result.previous.length ? result.previous.join(", ") : "nothing";
      deps.log.info(`Dry run: would set ${label} to ${content} (now ${before})`);
      deps.status.setRecord(name, type, { state: "pending", lastError: "dry run: change not written" });
      return undefined;
    }
    deps.metrics.recordFailing.set(0, { record: name, type });
    deps.metrics.recordLastSuccess.set(now / 1000, { record: name, type });
    const changed = result.outcome === "created" || result.outcome === "updated";
    if (result.outcome === "created") deps.log.info(`Created ${label} → ${content}`);
    else if (result.outcome === "updated") {
      const before = result.previous.length ? result.previous.join(", ") : "unknown";
      deps.log.info(`Updated ${label}: ${before} → ${content}`);
    } else if (stored?.content !== content) deps.log.info(`${label} already points to ${content}`);
    else deps.log.debug(`Verified ${label} → ${content}`);
    const changedAt = changed || !stored || stored.content !== content ? now : stored.changedAt;
    deps.status.setRecord(name, type, { state: "ok", content, lastError: null, lastChange: iso(changedAt) });
    return { name, type, content, changedAt, verifiedAt: now };
  }

  return {
    record,
    /** True while a failed record waits for its retry and the address it failed with is still the one wanted. */
    backingOff: (key: string, content: string, now: number) => {
      const a = attempts.get(key);
      return a !== undefined && a.content === content && now < a.nextAt;
    },
    hasFailed: (key: string) => attempts.has(key),
    nextRetryAt: () => {
      let min: number | undefined;
      for (const a of attempts.values()) if (min === undefined || a.nextAt < min) min = a.nextAt;
      return min;
    },
  };
}
