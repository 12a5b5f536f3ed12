import { recordTypeOf, type Family, type RecordType } from "../core/family.ts";
import type { HistoryEntry } from "../state/history-types.ts";
import { createHistory, type History } from "./history.ts";
import { recordKey, type RecordRef } from "../core/record-key.ts";
import { recordNaming, type RecordNaming } from "./record-naming.ts";
import type { LeftAlone } from "../providers/kit/types.ts";

/** The daemon's live state as the HTTP endpoints and `once` see it. Written by the engine, read by everyone else. */
export type RecordStateName = "ok" | "pending" | "failing";

export interface RecordStatus {
  /** The target (provider instance) that holds the record. */
  target: string;
  name: string;
  type: RecordType;
  /** The address the record holds as far as the daemon has confirmed; null before the first confirmation. */
  content: string | null;
  state: RecordStateName;
  /** ISO time of the last confirmed change at the provider, null if none since start and none stored. */
  lastChange: string | null;
  /** One-line reason of the last failure; null once the record is confirmed again. */
  lastError: string | null;
  /**
   * With DDNS_MANAGED_RECORDS_COMMENT_REGEX: the addresses of the other records of the name and type, left alone as
   * not this daemon's (their comment does not match). Absent when there are none.
   */
  notOwned?: string[];
  /** The same records with why each is not this daemon's (`notOwned` in the same order). */
  leftAlone?: LeftAlone[];
  /** False while the record's whole set is not this daemon's and left alone (set-replacing APIs); true otherwise. */
  managed: boolean;
}

export interface AddressStatus {
  /** The last address detected (kept while detection fails); null before the first detection. */
  address: string | null;
  detectedAt: string | null;
  source: string | null;
  /** Why the last detection failed; null when it succeeded (or none ran yet). */
  lastError: string | null;
  /** ISO time of the first failure of the current failure streak; null while detection works. */
  failingSince: string | null;
  /** True while the last detection succeeded (`ddns_ip_family_available`). */
  available: boolean;
  /** The family holds readiness back: set in DDNS_IP_VERSIONS, or detected since start (`ddns_ip_family_required`). */
  required: boolean;
}

export interface StatusSnapshot {
  version: string;
  runtime: string;
  startedAt: string;
  addresses: { ipv4?: AddressStatus; ipv6?: AddressStatus };
  records: RecordStatus[];
  rounds: number;
  lastRoundAt: string | null;
  /** Address changes and record updates, newest first (history.ts bounds them). */
  history: HistoryEntry[];
}

export interface StatusBoard {
  snapshot(): StatusSnapshot;
  /** Healthy while the loop has made progress recently; `reason` says why not. */
  health(): { ok: boolean; reason: string };
  /**
   * Ready once every record of a required family is confirmed (state `ok`) and at least one family is required;
   * `reason` names the records that are not, with their last error unless `errors: false` (see readinessOf).
   */
  readiness(options?: { errors?: boolean }): { ok: boolean; reason: string };
  // Writers (engine and scheduler only).
  setAddress(family: Family, update: Partial<AddressStatus>): void;
  setRecord(record: RecordRef, update: Partial<Omit<RecordStatus, "target" | "name" | "type">>): void;
  getRecord(record: RecordRef): RecordStatus | undefined;
  /** The event list the engine adds to and the reconciler restores and saves. */
  readonly history: History;
  /** The loop calls this whenever it makes progress (a round ends, an idle wait begins). */
  beat(): void;
  roundDone(): void;
}

export interface StatusBoardDeps {
  version: string;
  runtime: string;
  now: () => number;
  families: Family[];
  /** Families managed only by default (DDNS_IP_VERSIONS unset): not required until first detected. */
  optionalFamilies?: Family[];
  records: readonly RecordRef[];
  /** How reasons name records (the target only when there are several); default: one target. */
  naming?: RecordNaming;
  /** The loop is unhealthy when no beat came for this long (a few poll intervals plus the round budget). */
  staleAfterMs: number;
  /** The event list (a bounded one of HISTORY_LIMIT entries unless given). */
  history?: History;
}

export function createStatusBoard(deps: StatusBoardDeps): StatusBoard {
  const iso = (ms: number) => new Date(ms).toISOString();
  const startedAt = deps.now();
  let lastBeat = startedAt;
  let rounds = 0;
  let lastRoundAt: number | null = null;
  const addresses = new Map<Family, AddressStatus>(
    deps.families.map((f) => [
      f,
      { address: null, detectedAt: null, source: null, lastError: null, failingSince: null, available: false, required: !deps.optionalFamilies?.includes(f) },
    ]),
  );
  const history = deps.history ?? createHistory();
  const naming = deps.naming ?? recordNaming(false);
  const records = new Map<string, RecordStatus>(
    deps.records.map((r) => [
      recordKey(r),
      { target: r.target, name: r.name, type: r.type, content: null, state: "pending", lastChange: null, lastError: null, managed: true },
    ]),
  );

  return {
    snapshot: () => ({
      version: deps.version,
      runtime: deps.runtime,
      startedAt: iso(startedAt),
      addresses: Object.fromEntries([...addresses].map(([f, a]) => [`ipv${f}`, { ...a }])),
      records: [...records.values()].map((r) => ({ ...r, ...(r.notOwned ? { notOwned: [...r.notOwned] } : {}), ...(r.leftAlone ? { leftAlone: r.leftAlone.map((l) => ({ ...l })) } : {}) })),
      rounds,
      lastRoundAt: lastRoundAt === null ? null : iso(lastRoundAt),
      history: history.entries(),
    }),
    health() {
      const silentMs = deps.now() - lastBeat;
      if (silentMs > deps.staleAfterMs) {
        return { ok: false, reason: `the update loop has made no progress for ${Math.round(silentMs / 1000)}s` };
      }
      return { ok: true, reason: "ok" };
    },
    readiness: (options) => readinessOf(addresses, records.values(), naming, options?.errors ?? true),
    setAddress(family, update) {
      const a = addresses.get(family);
      if (a) Object.assign(a, update);
    },
    setRecord(record, update) {
      const r = records.get(recordKey(record));
      if (r) Object.assign(r, update);
    },
    getRecord: (record) => records.get(recordKey(record)),
    history,
    beat() {
      lastBeat = deps.now();
    },
    roundDone() {
      rounds += 1;
      lastRoundAt = deps.now();
      lastBeat = lastRoundAt;
    },
  };
}

/** Records named per group in a reason; past this, "and N more" (every record is in /status). */
const NAMED = 5;

/**
 * Whether the daemon is ready, and if not why, in one line (`/readyz`, the end of `ddnsd once`): every record of a
 * required family confirmed, and at least one family required. A family managed only by default and never detected
 * (a host without IPv6) does not count. Records that are not confirmed for the same reason share one mention:
 *   not confirmed: a.example.com A, b.example.com A failing (<reason>); c.example.com AAAA pending
 * `errors: false` leaves the reasons out (when they were just logged).
 */
function readinessOf(addresses: ReadonlyMap<Family, AddressStatus>, records: Iterable<RecordStatus>, naming: RecordNaming, errors = true): { ok: boolean; reason: string } {
  const required = [...addresses].filter(([, a]) => a.required);
  if (required.length === 0) {
    const why = [...addresses].map(([f, a]) => `IPv${f}${errors && a.lastError ? ` (${a.lastError})` : ""}`).join("; ");
    return { ok: false, reason: `no address detected yet: ${why}` };
  }
  const counted = new Set(required.map(([f]) => recordTypeOf(f)));
  const groups = new Map<string, RecordStatus[]>();
  for (const r of records) {
    if (r.state === "ok" || !counted.has(r.type)) continue;
    const key = JSON.stringify([r.state, errors ? r.lastError : null]);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  if (groups.size === 0) return { ok: true, reason: "ok" };
  const parts = [...groups.values()].map((group) => {
    const names = group.slice(0, NAMED).map((r) => naming.item(r));
    const more = group.length > NAMED ? ` and ${group.length - NAMED} more` : "";
    const first = group[0]!;
    return `${names.join(", ")}${more} ${first.state}${errors && first.lastError ? ` (${first.lastError})` : ""}`;
  });
  return { ok: false, reason: `not confirmed: ${parts.join("; ")}` };
}
