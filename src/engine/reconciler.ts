import type { Logger } from "../log/logger.ts";
import type { DaemonMetrics } from "../metrics/daemon-metrics.ts";
import { recordTypeOf, type Family } from "../core/family.ts";
import type { DnsProvider, RecordRequest, RecordResult } from "../providers/kit/types.ts";
import { stateKey, type RecordState, type StateStore } from "../state/types.ts";
import type { HistoryStore } from "../state/history-types.ts";
import { describeError } from "../core/errors.ts";
import type { StatusBoard } from "./status-board.ts";
import type { RoundOutcome } from "./scheduler.ts";
import { createDetector, type DetectorDeps } from "./detect.ts";
import { createOutcomeRecorder } from "./record-outcome.ts";

export interface ReconcilerDeps extends DetectorDeps {
  records: string[];
  families: Family[];
  provider: DnsProvider;
  store: StateStore;
  /** Keeps the history across restarts (the file store's history file); without it the history lives in memory. */
  historyStore?: HistoryStore;
  log: Logger;
  metrics: DaemonMetrics;
  status: StatusBoard;
  now: () => number;
  random: () => number;
  verifyIntervalMs: number;
  dryRun: boolean;
}

export interface RoundOptions {
  /** No round follows on its own (`ddnsd once`): failure lines promise no next attempt. */
  final?: boolean;
}

export interface RoundReport extends RoundOutcome {
  /** Every managed record is confirmed to hold the current address. */
  confirmed: boolean;
  /** Records whose last attempt failed, by failure kind. */
  failures: RecordResult[];
}

/**
 * One detect-and-reconcile round: the desired state (record × type ← address) against the stored state; the
 * provider is called only for records that differ, are due for a retry, or are due for the periodic re-read
 * (`DDNS_VERIFY_INTERVAL`, time-based). Results go to the state store after success.
 */
export function createReconciler(deps: ReconcilerDeps) {
  const detector = createDetector(deps);
  let state = new Map<string, RecordState>();
  let dirty = false;
  let savedHistory = deps.status.history.revision();
  let historyFailing = false;
  const outcomes = createOutcomeRecorder(deps);

  async function init(): Promise<void> {
    detector.prime(deps.families);
    state = await deps.store.load();
    if (deps.historyStore) {
      deps.status.history.restore(await deps.historyStore.load());
      savedHistory = deps.status.history.revision();
    }
    for (const s of state.values()) {
      deps.status.setRecord(s.name, s.type, { content: s.content, lastChange: new Date(s.changedAt).toISOString() });
    }
  }

  async function flush(): Promise<void> {
    await flushState();
    await flushHistory();
  }

  async function flushState(): Promise<void> {
    if (!dirty || deps.dryRun) return;
    try {
      await deps.store.save(state);
      dirty = false;
      deps.metrics.stateWrites.inc({ result: "ok" });
    } catch (error) {
      deps.metrics.stateWrites.inc({ result: "failed" });
      deps.log.error(`Could not save the state (${describeError(error)}); will try again after the next round`);
    }
  }

  /** Saves the history when it changed; a failure is said once per streak (the state's own save says the rest). */
  async function flushHistory(): Promise<void> {
    const revision = deps.status.history.revision();
    if (!deps.historyStore || deps.dryRun || revision === savedHistory) return;
    try {
      await deps.historyStore.save(deps.status.history.entries());
      savedHistory = revision;
      if (historyFailing) deps.log.info("Saved the history again");
      historyFailing = false;
    } catch (error) {
      if (!historyFailing) deps.log.warn(`Could not save the history (${describeError(error)}); it is kept in memory and saved again after the next round`);
      historyFailing = true;
    }
  }

  /**
   * Before the provider is asked to change a record, the old content stops being trusted on disk: else a kill
   * between the provider's write and the state save, then the address going back to the stored value, would leave
   * the provider stale while the state says "up to date" (a crash found by tests/reliability/crash-safety).
   */
  async function distrustOnDisk(requests: RecordRequest[]): Promise<void> {
    if (deps.dryRun || deps.store.type === "memory") return;
    const changing = requests.map((r) => stateKey(r.name, r.type)).filter((key, i) => state.has(key) && state.get(key)!.content !== requests[i]!.content);
    if (changing.length === 0) return;
    const onDisk = new Map(state);
    for (const key of changing) onDisk.delete(key);
    try {
      await deps.store.save(onDisk);
      deps.metrics.stateWrites.inc({ result: "ok" });
    } catch (error) {
      deps.metrics.stateWrites.inc({ result: "failed" });
      deps.log.warn(`Could not save the state before updating the provider (${describeError(error)}); updating anyway`);
    }
  }

  async function runRound(reason: string, signal: AbortSignal, options: RoundOptions = {}): Promise<RoundReport> {
    const detections = await detector.detectAll(deps.families, signal);
    const now = deps.now();
    const requests: RecordRequest[] = [];
    for (const d of detections) {
      if (!d.ok) continue;
      const type = recordTypeOf(d.family);
      for (const name of deps.records) {
        const key = stateKey(name, type);
        const stored = state.get(key);
        if (outcomes.backingOff(key, d.address, now)) continue;
        const upToDate = stored?.content === d.address;
        const verifyDue = deps.provider.canRead && (!stored || now - stored.verifiedAt >= deps.verifyIntervalMs);
        if (upToDate && !verifyDue && !outcomes.hasFailed(key)) {
          deps.status.setRecord(name, type, { state: "ok", content: d.address, lastError: null });
          continue;
        }
        requests.push({ name, type, content: d.address });
      }
    }
    const failures: RecordResult[] = [];
    if (requests.length > 0 && !signal.aborted) {
      deps.log.debug(`Round (${reason}): ${requests.length} record(s) to reconcile`);
      await distrustOnDisk(requests);
      let results: RecordResult[];
      try {
        results = await deps.provider.setRecords(requests, { signal, dryRun: deps.dryRun });
      } catch (error) {
        // A provider must not throw; if one does, treat every request as a transient failure and keep going.
        const message = `the ${deps.provider.type} provider failed unexpectedly: ${describeError(error)}`;
        results = requests.map((request) => ({ ok: false, request, kind: "transient", message }));
      }
      const complete = requests.map((request, i): RecordResult => results[i] ?? { ok: false, request, kind: "transient", message: "the provider returned no result for this record" });
      const next = outcomes.recordRound({
        results: complete,
        stored: (key) => state.get(key),
        now,
        answeredAt: deps.now(),
        aborted: signal.aborted,
        mode: { dryRun: deps.dryRun, promiseRetry: !options.final },
      });
      for (const [key, value] of next) state.set(key, value);
      if (next.size > 0) dirty = true;
      failures.push(...complete.filter((r) => !r.ok));
    }
    await flush();
    const detected = detections.filter((d) => d.ok).length;
    // A default family never detected (no IPv6 on this host) does not make every round "partial".
    const missing = detections.filter((d) => !d.ok && detector.required(d.family)).length;
    const result = failures.length === 0 && missing === 0 && detected > 0 ? "ok" : failures.length < requests.length || detected > 0 ? "partial" : "failed";
    deps.metrics.rounds.inc({ result });
    const confirmed = deps.status.readiness().ok;
    return { confirmed, failures, nextRetryAt: outcomes.nextRetryAt(deps.now()) };
  }

  return { init, runRound, flush };
}
