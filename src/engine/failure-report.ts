import type { FailureKind, RecordRequest } from "../providers/kit/types.ts";
import { formatDuration } from "../core/durations.ts";
import type { RecordRef } from "../core/record-key.ts";
import { recordNaming, type RecordNaming } from "./record-naming.ts";

/**
 * The operator's lines for a round's failed records: one line per distinct failure, however many records share it.
 * Providers give the reason only ("Cloudflare refused the API token (…); check DDNS_PROVIDER_API_TOKEN …"); the
 * headline (which records, what was being done) and the delay actually scheduled are written here, once.
 *
 *   Could not update A record home.example.com to 203.0.113.7: <reason>; next attempt in 5s
 *   Could not update 4 records (a.example.com A, a.example.com AAAA, b.example.com A, b.example.com AAAA): <reason>; next attempt in 30s
 *   Could not confirm the update of A record home.example.com to 203.0.113.7: <reason>; next attempt in 1s
 *   Dry run: could not check whether A record home.example.com needs to be set to 203.0.113.7: <reason>
 *
 * With several targets each record is named with its target (record-naming.ts).
 */
export interface FailedRecord {
  /** The target whose provider failed. */
  target: string;
  request: RecordRequest;
  kind: FailureKind;
  /** The provider's reason. */
  message: string;
  unconfirmed: boolean;
  /** The provider sends nothing more for this record until a restart: no next attempt is promised. */
  final: boolean;
  attempt: number;
  delayMs: number;
}

export interface ReportMode {
  dryRun: boolean;
  /** False when no round follows on its own (`ddnsd once`): the line then promises no next attempt. */
  promiseRetry: boolean;
}

export interface ReportLine {
  level: "warn" | "error";
  text: string;
  fields: { kind: FailureKind; attempt: number };
}

/** Records named in a grouped line; past this, "and N more" (every record is in /status). */
const LISTED = 10;

const reasonOf = (message: string) => message.trim().replace(/[.;:,]+$/, "");

const refOf = (f: FailedRecord): RecordRef => ({ target: f.target, name: f.request.name, type: f.request.type });

/** `A record a.example.com`, or `3 records (a.example.com A, …)`. */
function subject(records: readonly RecordRef[], naming: RecordNaming): string {
  if (records.length === 1) return naming.subject(records[0]!);
  const names = records.slice(0, LISTED).map((r) => naming.item(r));
  const more = records.length > LISTED ? `, and ${records.length - LISTED} more` : "";
  return `${records.length} records (${names.join(", ")}${more})`;
}

function headline(records: readonly FailedRecord[], first: FailedRecord, mode: ReportMode, naming: RecordNaming): string {
  const one = records.length === 1;
  const to = one ? ` to ${first.request.content}` : "";
  const what = subject(records.map(refOf), naming);
  if (mode.dryRun) {
    return one ? `Dry run: could not check whether ${what} needs to be set${to}` : `Dry run: could not check whether ${what} need to be set`;
  }
  if (first.unconfirmed) return `Could not confirm the update of ${what}${to}`;
  return `Could not update ${what}${to}`;
}

/** Groups by everything the line says (reason, kind, confirmation, finality, delay, attempt), in first-seen order. */
export function reportFailures(failed: readonly FailedRecord[], mode: ReportMode, naming: RecordNaming = recordNaming(false)): ReportLine[] {
  const groups = new Map<string, FailedRecord[]>();
  for (const f of failed) {
    const key = JSON.stringify([reasonOf(f.message), f.kind, f.unconfirmed, f.final, f.delayMs, f.attempt]);
    const group = groups.get(key);
    if (group) group.push(f);
    else groups.set(key, [f]);
  }
  return [...groups.values()].map((records) => {
    const first = records[0]!;
    const next = mode.promiseRetry && !first.final ? `; next attempt in ${formatDuration(first.delayMs)}` : "";
    return {
      level: first.kind === "auth" || first.kind === "config" ? "error" : "warn",
      text: `${headline(records, first, mode, naming)}: ${reasonOf(first.message)}${next}`,
      fields: { kind: first.kind, attempt: first.attempt },
    };
  });
}

/** The shutdown counterpart: one line for every record whose update the shutdown cut short. */
export function reportStopped(stopped: readonly RecordRef[], naming: RecordNaming = recordNaming(false)): string | undefined {
  if (stopped.length === 0) return undefined;
  return `Stopped updating ${subject(stopped, naming)} because the daemon is shutting down`;
}
