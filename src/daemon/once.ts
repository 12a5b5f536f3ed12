import type { Logger } from "../log/logger.ts";
import type { Components } from "./components.ts";
import { EXIT_OK, EXIT_RUNTIME } from "../errors.ts";

/** Short retries inside `once` (for cron jobs): transient failures due within this window are tried again. */
const RETRY_WINDOW_MS = 15_000;
const MAX_ROUNDS = 3;

/**
 * `ddnsd once`: one full detect-and-reconcile pass, with a couple of quick retries for transient failures.
 * Exit 0 only when every managed record is confirmed up to date; 2 otherwise.
 */
export async function runOnce(c: Components, log: Logger, deps: { now: () => number; signal: AbortSignal }): Promise<number> {
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const report = await c.reconciler.runRound("once", deps.signal);
    if (report.confirmed) {
      log.info(`All ${c.status.snapshot().records.length} record(s) are confirmed up to date`);
      return EXIT_OK;
    }
    const retryable = report.failures.length > 0 && report.failures.every((f) => !f.ok && (f.kind === "transient" || f.kind === "rate-limited"));
    const wait = (report.nextRetryAt ?? Number.POSITIVE_INFINITY) - deps.now();
    if (!retryable || round === MAX_ROUNDS || wait > RETRY_WINDOW_MS || deps.signal.aborted) break;
    await new Promise((r) => setTimeout(r, Math.max(0, wait)));
  }
  log.warn(`Not every record could be confirmed: ${c.status.readiness().reason}`);
  return EXIT_RUNTIME;
}
