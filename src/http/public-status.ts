import type { AddressStatus, RecordStatus, StatusSnapshot } from "../engine/status-board.ts";
import type { HistoryEntry } from "../state/history-types.ts";

/**
 * The `/status` answer: a field-by-field copy of the status board's snapshot, so that a field added to the board
 * for internal use never reaches the network unnoticed. The shape is part of the daemon's outside contract
 * (see docs/http.md); add to it, never rename.
 */
export interface PublicAddress {
  address: string | null;
  detectedAt: string | null;
  source: string | null;
  lastError: string | null;
  failingSince: string | null;
  available: boolean;
  required: boolean;
}

export interface PublicRecord {
  /** The target (provider instance) that holds the record: a `[[target]]` id, or the provider's id. */
  target: string;
  name: string;
  type: string;
  content: string | null;
  state: string;
  lastChange: string | null;
  lastError: string | null;
  /** With DDNS_MANAGED_RECORDS_COMMENT_REGEX: other records of the name and type, left alone (not this daemon's). */
  notOwned?: string[];
  /** The same records with why each is not this daemon's: `{ address, why }`, in the order of `notOwned`. */
  leftAlone?: Array<{ address: string; why: string }>;
  /** False while the record's whole set is not this daemon's and left alone (set-replacing APIs with the regex). */
  managed: boolean;
}

/** Per target: how many of its records the daemon manages, and how many beside them it leaves alone. */
export interface PublicTarget {
  target: string;
  managed: number;
  notOwned: number;
}

export interface PublicStatus {
  version: string;
  runtime: string;
  startedAt: string;
  lastRoundAt: string | null;
  rounds: number;
  addresses: { ipv4?: PublicAddress; ipv6?: PublicAddress };
  records: PublicRecord[];
  targets: PublicTarget[];
  /** Address changes and record updates, newest first. */
  history: PublicHistoryEntry[];
}

export type PublicHistoryEntry =
  | { at: string; kind: "address"; family: "ipv4" | "ipv6"; from: string | null; to: string; source: string | null }
  | { at: string; kind: "record"; target: string; name: string; type: string; from: string | null; to: string; result: string; error: string | null };

const address = (a: AddressStatus): PublicAddress => ({
  address: a.address,
  detectedAt: a.detectedAt,
  source: a.source,
  lastError: a.lastError,
  failingSince: a.failingSince,
  available: a.available,
  required: a.required,
});

const record = (r: RecordStatus): PublicRecord => ({
  target: r.target,
  name: r.name,
  type: r.type,
  content: r.content,
  state: r.state,
  lastChange: r.lastChange,
  lastError: r.lastError,
  ...(r.notOwned && r.notOwned.length > 0 ? { notOwned: [...r.notOwned] } : {}),
  ...(r.leftAlone && r.leftAlone.length > 0 ? { leftAlone: r.leftAlone.map((l) => ({ address: l.address, why: l.why })) } : {}),
  managed: r.managed,
});

function targets(records: readonly RecordStatus[]): PublicTarget[] {
  const by = new Map<string, PublicTarget>();
  for (const r of records) {
    const t = by.get(r.target) ?? { target: r.target, managed: 0, notOwned: 0 };
    if (r.managed) t.managed += 1;
    t.notOwned += r.notOwned?.length ?? 0;
    by.set(r.target, t);
  }
  return [...by.values()];
}

const event = (e: HistoryEntry): PublicHistoryEntry => {
  const at = new Date(e.at).toISOString();
  return e.kind === "address"
    ? { at, kind: "address", family: e.family === 4 ? "ipv4" : "ipv6", from: e.from, to: e.to, source: e.source }
    : { at, kind: "record", target: e.target, name: e.name, type: e.type, from: e.from, to: e.to, result: e.result, error: e.error };
};

/** Every string in a JSON value through `redact` (the daemon's secret redactor, src/log/redact.ts). */
export function redactStrings<T>(value: T, redact: (text: string) => string): T {
  if (typeof value === "string") return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactStrings(v, redact)) as T;
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactStrings(v, redact)])) as T;
  return value;
}

export function toPublicStatus(s: StatusSnapshot, build: { version: string; runtime: string }): PublicStatus {
  const addresses: PublicStatus["addresses"] = {};
  if (s.addresses.ipv4) addresses.ipv4 = address(s.addresses.ipv4);
  if (s.addresses.ipv6) addresses.ipv6 = address(s.addresses.ipv6);
  return {
    version: build.version,
    runtime: build.runtime,
    startedAt: s.startedAt,
    lastRoundAt: s.lastRoundAt,
    rounds: s.rounds,
    addresses,
    records: s.records.map(record),
    targets: targets(s.records),
    history: s.history.map(event),
  };
}
