import type { Logger } from "../log/logger.ts";
import type { DaemonMetrics } from "../metrics/daemon-metrics.ts";
import type { Family, FamilyAddress } from "../core/family.ts";
import type { DnsProvider, RecordRequest, RecordResult } from "../providers/kit/types.ts";
import type { RecordState, StateStore } from "../state/types.ts";
import { describeError } from "../core/errors.ts";
import type { StatusBoard } from "./status-board.ts";
import type { RoundOutcome } from "./scheduler.ts";
import { createDetector, type DetectorDeps } from "./detect.ts";
import { createOutcomeRecorder, type PendingRetry, type RecordAnswer } from "./record-outcome.ts";
import { desiredContent, type ManagedRecord } from "./desired.ts";
import { recordNaming, type RecordNaming } from "./record-naming.ts";
import { callTargets, TARGET_CONCURRENCY, type RecordWork } from "./target-calls.ts";
import { NO_NOTIFIER, type Notifier } from "../notify/types.ts";
import { deleteOnStop } from "./delete-on-stop.ts";
import { recordKey } from "../core/record-key.ts";

export interface ReconcilerDeps extends DetectorDeps {
  /** Every record the engine keeps right (expandRecords). */
  records: readonly ManagedRecord[];
  /** The families detected each round. */
  families: Family[];
  /** Each target's provider, by target id. */
  providers: ReadonlyMap<string, DnsProvider>;
  store: StateStore;
  log: Logger;
  metrics: DaemonMetrics;
  status: StatusBoard;
  now: () => number;
  random: () => number;
  verifyIntervalMs: number;
  dryRun: boolean;
  /** How lines and labels name records (the target only when there are several); default: one target. */
  naming?: RecordNaming;
  /** Targets asked at the same time. */
  targetConcurrency?: number;
  /** Told when each round begins and what it brought (never waited for); default: nobody. */
  notifier?: Notifier;
  /** DDNS_ALLOW_PRIVATE_ADDRESSES, for addresses derived with a record's ipv6_suffix; default: false. */
  allowPrivate?: boolean;
}

export interface RoundOptions {
  /** No round follows on its own (`ddnsd once`, the Worker): failure lines promise no next attempt. */
  final?: boolean;
  /** Only these records and families this round (the Worker: the hosts and addresses one update names). */
  scope?: { names: ReadonlySet<string>; families: readonly Family[] };
}

export interface RoundReport extends RoundOutcome {
  /** Every managed record is confirmed to hold the current address. */
  confirmed: boolean;
  /** Records whose last attempt failed, by failure kind. */
  failures: RecordResult[];
  /** Every record the providers were asked about this round, with its result. */
  answers: RecordAnswer[];
}

export type Reconciler = ReturnType<typeof createReconciler>;

/**
 * One detect-and-reconcile round: the desired state (each record's content, from the address detected for its
 * family) against the stored state; a target's provider is called only for its records that differ, are due for a
 * retry, or are due for the periodic re-read (`DDNS_VERIFY_INTERVAL`, time-based). Targets are asked in parallel
 * (target-calls.ts). Results go to the state store after success.
 */
export function createReconciler(deps: ReconcilerDeps) {
  const naming = deps.naming ?? recordNaming(false);
  const detector = createDetector(deps);
  let state = new Map<string, RecordState>();
  let dirty = false;
  /** The history's revision the store holds: a round that added to it saves the state even with no record change. */
  let savedHistory = deps.status.history.revision();
  const outcomes = createOutcomeRecorder({ ...deps, naming });
  const canRead = (r: ManagedRecord) => deps.providers.get(r.target)?.canRead === true;
  const rules = { allowPrivate: deps.allowPrivate ?? false };
  /** Derived addresses refused, by record key: said once per distinct address, not every round. */
  const refused = new Map<string, string>();
  const verifyDue = (r: ManagedRecord, stored: RecordState | undefined, now: number) =>
    canRead(r) && (!stored || now - stored.verifiedAt >= deps.verifyIntervalMs);

  async function init(): Promise<void> {
    detector.prime(deps.families);
    state = await deps.store.load();
    deps.status.history.restore(deps.store.history());
    savedHistory = deps.status.history.revision();
    for (const s of state.values()) {
      deps.status.setRecord(s, { content: s.content, lastChange: new Date(s.changedAt).toISOString() });
      if (s.notOwned && deps.records.some((r) => r.key === recordKey(s))) outcomes.restoreLeftAlone(s, s.notOwned);
    }
  }

  /** Saves the records and the history after a round that changed either (the history is part of the state file). */
  async function flush(): Promise<void> {
    const revision = deps.status.history.revision();
    if ((!dirty && revision === savedHistory) || deps.dryRun) return;
    try {
      await deps.store.save(state, deps.status.history.entries());
      dirty = false;
      savedHistory = revision;
      deps.metrics.stateWrites.inc({ result: "ok" });
    } catch (error) {
      deps.metrics.stateWrites.inc({ result: "failed" });
      deps.log.error(`Could not save the state (${describeError(error)}); will try again after the next round`);
    }
  }

  /**
   * Before the provider is asked to change a record, the old content stops being trusted on disk: else a kill
   * between the provider's write and the state save, then the address going back to the stored value, would leave
   * the provider stale while the state says "up to date" (a crash found by tests/reliability/crash-safety).
   */
  async function distrustOnDisk(work: readonly RecordWork[]): Promise<void> {
    if (deps.dryRun || deps.store.type === "memory") return;
    const changing = work.filter((w) => state.has(w.record.key) && state.get(w.record.key)!.content !== w.request.content);
    if (changing.length === 0) return;
    const onDisk = new Map(state);
    for (const w of changing) onDisk.delete(w.record.key);
    try {
      await deps.store.save(onDisk);
      deps.metrics.stateWrites.inc({ result: "ok" });
    } catch (error) {
      deps.metrics.stateWrites.inc({ result: "failed" });
      deps.log.warn(`Could not save the state before updating the provider (${describeError(error)}); updating anyway`);
    }
  }

  /** What the round asks of the providers: every record whose content differs, failed, or is due for a re-read. */
  function plan(detected: ReadonlyMap<Family, FamilyAddress>, options: RoundOptions, now: number): RecordWork[] {
    const work: RecordWork[] = [];
    for (const record of deps.records) {
      if (options.scope && !options.scope.names.has(record.name)) continue;
      const address = detected.get(record.family);
      if (!address) continue;
      const desired = desiredContent(record, address, rules);
      if (!desired.ok) {
        if (refused.get(record.key) !== desired.reason) deps.log.warn(`Not publishing ${desired.reason}; the record is left alone until the prefix changes`);
        refused.set(record.key, desired.reason);
        deps.status.setRecord(record, { state: "failing", lastError: desired.reason });
        continue;
      }
      refused.delete(record.key);
      const content = desired.address;
      if (outcomes.backingOff(record.key, content, now)) continue;
      const stored = state.get(record.key);
      if (stored?.content === content && !verifyDue(record, stored, now) && !outcomes.hasFailed(record.key)) {
        deps.status.setRecord(record, { state: "ok", content, lastError: null });
        continue;
      }
      work.push({ record, request: requestOf(record, content) });
    }
    return work;
  }

  const notifier = deps.notifier ?? NO_NOTIFIER;

  async function runRound(reason: string, signal: AbortSignal, options: RoundOptions = {}): Promise<RoundReport> {
    notifier.roundStarted();
    const families = options.scope ? deps.families.filter((f) => options.scope!.families.includes(f)) : deps.families;
    const detections = await detector.detectAll(families, signal);
    const now = deps.now();
    const detected = new Map(detections.flatMap((d) => (d.ok ? [[d.family, d] as const] : [])));
    const work = plan(detected, options, now);
    const failures: RecordResult[] = [];
    const all: RecordAnswer[] = [];
    if (work.length > 0 && !signal.aborted) {
      deps.log.debug(`Round (${reason}): ${work.length} record(s) to reconcile`);
      await distrustOnDisk(work);
      const answered = (answers: RecordAnswer[]) => {
        const next = outcomes.recordRound({
          answers,
          stored: (key) => state.get(key),
          now,
          answeredAt: deps.now(),
          aborted: signal.aborted,
          mode: { dryRun: deps.dryRun, promiseRetry: !options.final },
        });
        for (const [key, value] of next) state.set(key, value);
        if (next.size > 0) dirty = true;
        all.push(...answers);
        failures.push(...answers.flatMap((a) => (a.result.ok ? [] : [a.result])));
      };
      await callTargets(work, deps.providers, { signal, dryRun: deps.dryRun, concurrency: deps.targetConcurrency ?? TARGET_CONCURRENCY, answered });
    }
    await flush();
    const found = detected.size;
    // A default family never detected (no IPv6 on this host) does not make every round "partial".
    const missing = detections.filter((d) => !d.ok && detector.required(d.family)).length;
    const result = failures.length === 0 && missing === 0 && found > 0 ? "ok" : failures.length < work.length || found > 0 ? "partial" : "failed";
    deps.metrics.rounds.inc({ result });
    const readiness = deps.status.readiness();
    const confirmed = readiness.ok;
    if (!signal.aborted) notifier.roundEnded({ ...outcomes.takeEvents(), confirmed, ...(confirmed ? {} : { problem: problemOf(readiness, failures) }) });
    return { confirmed, failures, answers: all, nextRetryAt: outcomes.nextRetryAt(deps.now()) };
  }

  return {
    init,
    runRound,
    flush,
    /** DDNS_DELETE_ON_STOP: deletes the records this daemon manages; the state forgets those that are gone. */
    async deleteManaged(signal: AbortSignal): Promise<void> {
      const published = (r: ManagedRecord) => state.get(r.key)?.content;
      const gone = await deleteOnStop({ records: deps.records, providers: deps.providers, published, request: requestOf, log: deps.log, naming, dryRun: deps.dryRun }, signal);
      for (const key of gone) dirty = state.delete(key) || dirty;
      await flush();
    },
    /**
     * The record is known to hold `content`: confirmed by its provider, not failed since, and not due for the
     * periodic re-read (the Worker answers `nochg` from this without a request).
     */
    holds: (record: ManagedRecord, content: string): boolean => {
      const stored = state.get(record.key);
      return stored?.content === content && !outcomes.hasFailed(record.key) && !verifyDue(record, stored, deps.now());
    },
    /** The record's last failure and when it is tried again, while it has not succeeded since. */
    pending: (record: ManagedRecord): PendingRetry | undefined => outcomes.pending(record.key),
  };
}

/** The heartbeat's short reason: the first failure's, else why readiness is not reached. */
function problemOf(readiness: { ok: boolean; reason?: string }, failures: readonly RecordResult[]): string {
  const first = failures.find((f) => !f.ok);
  if (first && !first.ok) return `${failures.length} record(s) failing: ${first.message}`;
  return readiness.reason ?? "not every record is confirmed";
}

/** The request for one record: its content, and the options a record it creates gets. */
function requestOf(record: ManagedRecord, content: string): RecordRequest {
  const { ttl, proxied, comment, managedComment, ownerId, ownerAdopt } = record.options;
  return {
    name: record.name,
    type: record.type,
    content,
    ttl,
    ...(proxied !== undefined ? { proxied } : {}),
    ...(comment !== undefined ? { comment } : {}),
    ...(managedComment !== undefined ? { managedComment } : {}),
    ...(ownerId !== undefined ? { ownerId } : {}),
    ...(ownerAdopt ? { ownerAdopt } : {}),
  };
}
