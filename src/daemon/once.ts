import type { Logger } from "../log/logger.ts";
import type { Components } from "./wire.ts";
import { EXIT_OK, EXIT_RUNTIME } from "../core/errors.ts";
import { formatDuration } from "../core/durations.ts";

/** Short retries inside `once` (for cron jobs): transient failures due within this window are tried again. */
const RETRY_WINDOW_MS = 15_000;
const MAX_ROUNDS = 3;

/**
 * `ddnsd once`: one full detect-and-reconcile pass, with a couple of quick retries for transient failures.
 * Exit 0 only when every managed record is confirmed up to date; 2 otherwise.
 */
export async function runOnce(c: Components, log: Logger, deps: { now: () => number; signal: AbortSignal }): Promise<number> {
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    // `final`: the failure lines promise no next attempt; this loop says so itself when it does try again.
    const report = await c.reconciler.runRound("once", deps.signal, { final: true });
    if (report.confirmed) {
      log.info(confirmedLine(c));
      return EXIT_OK;
    }
    const retryable = report.failures.length > 0 && report.failures.every((f) => !f.ok && (f.kind === "transient" || f.kind === "rate-limited"));
    const wait = (report.nextRetryAt ?? Number.POSITIVE_INFINITY) - deps.now();
    if (!retryable || round === MAX_ROUNDS || wait > RETRY_WINDOW_MS || deps.signal.aborted) break;
    const n = report.failures.length;
    log.info(`Trying ${n === 1 ? "the failed record" : `the ${n} failed records`} again in ${formatDuration(Math.max(0, Math.ceil(wait / 1000) * 1000))}`);
    await new Promise((r) => setTimeout(r, Math.max(0, wait)));
  }
  // The reasons were logged as they happened: the verdict names the records only.
  log.warn(`Not every record could be confirmed: ${c.status.readiness({ errors: false }).reason.replace(/^not confirmed: /, "")}`);
  return EXIT_RUNTIME;
}

/** The success line; records of a default family that was not detected (no IPv6 here) are said to be left alone. */
function confirmedLine(c: Components): string {
  const s = c.status.snapshot();
  const skipped = s.records.filter((r) => (r.type === "A" ? s.addresses.ipv4 : s.addresses.ipv6)?.required === false);
  const all = `All ${s.records.length - skipped.length} record(s) are confirmed up to date`;
  if (skipped.length === 0) return all;
  const type = skipped[0]!.type;
  return `${all}; ${skipped.length} ${type} record(s) left alone: no IPv${type === "A" ? 4 : 6} address was detected`;
}
