import type { Logger } from "../log/logger.ts";
import type { DaemonMetrics } from "../metrics/daemon-metrics.ts";
import type { FailureKind, LeftAlone, RecordResult } from "../providers/kit/types.ts";
import { recordKey, type RecordRef } from "../core/record-key.ts";
import type { RecordState } from "../state/types.ts";
import type { StatusBoard } from "./status-board.ts";
import type { ManagedRecord } from "./desired.ts";
import type { RecordNaming } from "./record-naming.ts";
import { planRetry } from "./backoff.ts";
import { reportFailures, reportStopped, type FailedRecord, type ReportMode } from "./failure-report.ts";
import type { RecordChange, RecordFailing } from "../notify/types.ts";

interface Attempt {
  content: string;
  kind: FailureKind;
  /** Failures in a row for this content (the `attempt=` of the log line). */
  failures: number;
  /** The backoff level (rate-limit answers with Retry-After do not climb it). */
  level: number;
  nextAt: number;
  /** The last failure was final (the provider stopped the record): repeating it is not news. */
  final: boolean;
  /** The failure episode was reported to the notifier: its end (recovery) is news too. */
  notified: boolean;
}

/** One record's provider result in a round. */
export interface RecordAnswer {
  record: ManagedRecord;
  result: RecordResult;
}

export interface RoundResults {
  answers: readonly RecordAnswer[];
  stored: (key: string) => RecordState | undefined;
  /** The round's time: what state timestamps say. */
  now: number;
  /** When the answers came back: the retry delays count from here, so the line states the delay really waited. */
  answeredAt: number;
  aborted: boolean;
  mode: ReportMode;
}

/** What a round brought for the notifier: records changed, failure episodes begun, records recovered. */
export interface RoundEvents {
  changes: RecordChange[];
  failing: RecordFailing[];
  recovered: RecordChange[];
}

/** A record whose last attempt failed: how, and when it is tried again. */
export interface PendingRetry {
  kind: FailureKind;
  content: string;
  retryAt: number;
}

export interface OutcomeDeps {
  log: Logger;
  metrics: DaemonMetrics;
  status: StatusBoard;
  random: () => number;
  naming: RecordNaming;
}

/**
 * Turns a round's provider results into the operator's view (log lines, status, metrics), the retry schedule of
 * failing records, and the new stored states (returned by key; the reconciler keeps the map).
 */
export function createOutcomeRecorder(deps: OutcomeDeps) {
  const { naming } = deps;
  const attempts = new Map<string, Attempt>();
  /** The records last reported as not owned, per record: the line is written when that changes, not every round. */
  const strangers = new Map<string, string>();

  /** Records left alone per record (by key): its count, and the label set of its `ddns_records_not_owned` series. */
  const leftCounts = new Map<string, { series: string; count: number }>();
  const seriesTotals = new Map<string, number>();

  /** /status (notOwned, leftAlone, managed) and `ddns_records_not_owned` after a read that found `left`. */
  function showLeftAlone(record: RecordRef, left: readonly LeftAlone[], managed: boolean): void {
    const sorted = [...left].sort((a, b) => a.address.localeCompare(b.address));
    deps.status.setRecord(record, { notOwned: sorted.length > 0 ? sorted.map((l) => l.address) : undefined, leftAlone: sorted.length > 0 ? sorted : undefined, managed });
    const labels = naming.typeLabels(record);
    const series = JSON.stringify(labels);
    // Each series' total is kept as records report, not summed over every record each time (1000 records: 1000 steps
    // per record, a million per change).
    const key = recordKey(record);
    const before = leftCounts.get(key);
    leftCounts.set(key, { series, count: sorted.length });
    const total = (seriesTotals.get(series) ?? 0) - (before?.series === series ? before.count : 0) + sorted.length;
    seriesTotals.set(series, total);
    if (before && before.series !== series) seriesTotals.set(before.series, (seriesTotals.get(before.series) ?? 0) - before.count);
    deps.metrics.recordsNotOwned.set(total, labels);
  }

  function notOwned(record: ManagedRecord, result: Extract<RecordResult, { ok: true }>): void {
    const seen = [...(result.notOwned ?? [])].sort();
    const key = seen.join(",");
    const generic = record.options.ownerId !== undefined ? "no owner TXT record of DDNS_OWNER_ID names them" : "their comment does not match DDNS_MANAGED_RECORDS_COMMENT_REGEX";
    if ((strangers.get(record.key) ?? "") !== key) {
      if (seen.length > 0) deps.log.info(`Leaving alone ${seen.length} record(s) beside the ${naming.subject(record)} (${seen.join(", ")}): ${generic}, so they are not this daemon's`);
      strangers.set(record.key, key);
    }
    showLeftAlone(record, result.leftAlone ?? seen.map((address) => ({ address, why: generic })), true);
  }
  const iso = (ms: number) => new Date(ms).toISOString();
  let events: RoundEvents = { changes: [], failing: [], recovered: [] };

  function failed(record: ManagedRecord, result: Extract<RecordResult, { ok: false }>, round: RoundResults, jitter: number): FailedRecord & { repeat: boolean } {
    const { content } = result.request;
    const previous = attempts.get(record.key);
    const same = previous !== undefined && previous.content === content;
    const plan = planRetry(result, same ? previous.level : 0, jitter);
    const failures = same ? previous.failures + 1 : 1;
    const final = result.final === true;
    // An episode is news once its first retry failed too (a blip that a retry fixes is not), or at once when no
    // retry follows (`once`, the Worker) or the provider stopped the record.
    const news = !round.aborted && !round.mode.dryRun && !(previous?.notified ?? false) && (failures >= 2 || final || !round.mode.promiseRetry);
    if (news) events.failing.push({ subject: naming.subject(record), message: result.message });
    const notified = news || (previous?.notified ?? false);
    attempts.set(record.key, { content, kind: result.kind, failures, level: plan.level, nextAt: round.answeredAt + plan.delayMs, final, notified });
    deps.metrics.recordUpdates.inc({ type: record.type, result: "failed" });
    deps.metrics.recordFailing.set(1, naming.labels(record));
    deps.status.setRecord(record, { state: "failing", lastError: result.message });
    if (result.leftAlone) showLeftAlone(record, result.leftAlone, false);
    // Once per streak and content, as the log says it: the retries of one failure are not news.
    if (!same) deps.status.history.add({ at: round.now, kind: "record", target: record.target, name: record.name, type: record.type, from: round.stored(record.key)?.content ?? null, to: content, result: "failed", error: result.message });
    const repeat = final && previous?.final === true;
    return { target: record.target, request: result.request, kind: result.kind, message: result.message, unconfirmed: result.unconfirmed === true, final, attempt: failures, delayMs: plan.delayMs, repeat };
  }

  function succeeded(record: ManagedRecord, result: Extract<RecordResult, { ok: true }>, stored: RecordState | undefined, now: number): RecordState | undefined {
    const { content } = result.request;
    const label = naming.subject(record);
    const episode = attempts.get(record.key);
    if (attempts.delete(record.key)) deps.log.info(`${label} recovered`);
    if (episode?.notified && result.outcome !== "planned") events.recovered.push({ subject: label, name: record.name, content });
    deps.metrics.recordUpdates.inc({ type: record.type, result: result.outcome });
    notOwned(record, result);
    if (result.outcome === "planned") {
      const before = result.previous.length ? result.previous.join(", ") : "nothing";
      deps.log.info(`Dry run: would set ${label} to ${content} (now ${before})`);
      deps.status.setRecord(record, { state: "pending", lastError: "dry run: change not written" });
      return undefined;
    }
    deps.metrics.recordFailing.set(0, naming.labels(record));
    deps.metrics.recordLastSuccess.set(now / 1000, naming.labels(record));
    const changed = result.outcome === "created" || result.outcome === "updated";
    if (changed) events.changes.push({ subject: label, name: record.name, content });
    if (result.outcome === "created") deps.log.info(`Created ${label} → ${content}`);
    else if (result.outcome === "updated") {
      const before = result.previous.length ? result.previous.join(", ") : "unknown";
      deps.log.info(`Updated ${label}: ${before} → ${content}`);
    } else if (stored?.content !== content) deps.log.info(`${label} already points to ${content}`);
    else deps.log.debug(`Verified ${label} → ${content}`);
    const changedAt = changed || !stored || stored.content !== content ? now : stored.changedAt;
    if (result.outcome === "created" || result.outcome === "updated") {
      const from = result.previous.length ? result.previous.join(", ") : (stored?.content ?? null);
      deps.status.history.add({ at: now, kind: "record", target: record.target, name: record.name, type: record.type, from: result.outcome === "created" ? null : from, to: content, result: result.outcome, error: null });
    }
    deps.status.setRecord(record, { state: "ok", content, lastError: null, lastChange: iso(changedAt) });
    const left = deps.status.getRecord(record)?.leftAlone;
    return { target: record.target, name: record.name, type: record.type, content, changedAt, verifiedAt: now, ...(left ? { notOwned: left.map((l) => ({ ...l })) } : {}) };
  }

  function recordRound(round: RoundResults): Map<string, RecordState> {
    const next = new Map<string, RecordState>();
    const failures: FailedRecord[] = [];
    const repeats: FailedRecord[] = [];
    const stopped: RecordRef[] = [];
    const jitter = deps.random();
    for (const { record, result } of round.answers) {
      if (result.ok) {
        const state = succeeded(record, result, round.stored(record.key), round.now);
        if (state) next.set(record.key, state);
      } else {
        const f = failed(record, result, round, jitter);
        if (round.aborted) stopped.push(record);
        else if (f.repeat) repeats.push(f);
        else failures.push(f);
      }
    }
    const stop = reportStopped(stopped, naming);
    if (stop) deps.log.info(stop);
    for (const line of reportFailures(failures, round.mode, naming)) deps.log[line.level](line.text, line.fields);
    // A record the provider has stopped (final) fails the same way every round: said once, then at debug.
    for (const line of reportFailures(repeats, round.mode, naming)) deps.log.debug(line.text, line.fields);
    return next;
  }

  return {
    recordRound,
    /** What the state file kept from the last read before a restart: shown until the next read replaces it. */
    restoreLeftAlone: (record: RecordRef, left: readonly LeftAlone[]) => showLeftAlone(record, left, true),
    /** The round's events so far, and a fresh list for the next round. */
    takeEvents(): RoundEvents {
      const taken = events;
      events = { changes: [], failing: [], recovered: [] };
      return taken;
    },
    /** True while a failed record waits for its retry and the address it failed with is still the one wanted. */
    backingOff: (key: string, content: string, now: number) => {
      const a = attempts.get(key);
      return a !== undefined && a.content === content && now < a.nextAt;
    },
    hasFailed: (key: string) => attempts.has(key),
    /** The record's last failure and its retry time, while it has not succeeded since. */
    pending: (key: string): PendingRetry | undefined => {
      const a = attempts.get(key);
      return a && { kind: a.kind, content: a.content, retryAt: a.nextAt };
    },
    /**
     * The earliest retry still ahead of `now`. One already due after a round could not be tried in it (its family was
     * not detected): it waits for the next detection, at the next poll — a past time here would spin the loop.
     */
    nextRetryAt: (now: number) => {
      let min: number | undefined;
      for (const a of attempts.values()) if (a.nextAt > now && (min === undefined || a.nextAt < min)) min = a.nextAt;
      return min;
    },
  };
}
