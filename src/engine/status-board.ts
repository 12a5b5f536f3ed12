import type { Family, RecordType } from "../ip/types.ts";

/** The daemon's live state as the HTTP endpoints and `once` see it. Written by the engine, read by everyone else. */
export type RecordStateName = "ok" | "pending" | "failing";

export interface RecordStatus {
  name: string;
  type: RecordType;
  /** The address the record holds as far as the daemon has confirmed; null before the first confirmation. */
  content: string | null;
  state: RecordStateName;
  /** ISO time of the last confirmed change at the provider, null if none since start and none stored. */
  lastChange: string | null;
  /** One-line reason of the last failure; null once the record is confirmed again. */
  lastError: string | null;
}

export interface AddressStatus {
  address: string | null;
  detectedAt: string | null;
  source: string | null;
  lastError: string | null;
}

export interface StatusSnapshot {
  version: string;
  runtime: string;
  startedAt: string;
  addresses: { ipv4?: AddressStatus; ipv6?: AddressStatus };
  records: RecordStatus[];
  rounds: number;
  lastRoundAt: string | null;
}

export interface StatusBoard {
  snapshot(): StatusSnapshot;
  /** Healthy while the loop has made progress recently; `reason` says why not. */
  health(): { ok: boolean; reason: string };
  /** Ready once every managed record is confirmed (state `ok`); `reason` names the ones that are not. */
  readiness(): { ok: boolean; reason: string };
  // Writers (engine and scheduler only).
  setAddress(family: Family, update: Partial<AddressStatus>): void;
  setRecord(name: string, type: RecordType, update: Partial<Omit<RecordStatus, "name" | "type">>): void;
  getRecord(name: string, type: RecordType): RecordStatus | undefined;
  /** The loop calls this whenever it makes progress (a round ends, an idle wait begins). */
  beat(): void;
  roundDone(): void;
}

export interface StatusBoardDeps {
  version: string;
  runtime: string;
  now: () => number;
  families: Family[];
  records: Array<{ name: string; type: RecordType }>;
  /** The loop is unhealthy when no beat came for this long (a few poll intervals plus the round budget). */
  staleAfterMs: number;
}

export function createStatusBoard(deps: StatusBoardDeps): StatusBoard {
  const iso = (ms: number) => new Date(ms).toISOString();
  const startedAt = deps.now();
  let lastBeat = startedAt;
  let rounds = 0;
  let lastRoundAt: number | null = null;
  const addresses = new Map<Family, AddressStatus>(
    deps.families.map((f) => [f, { address: null, detectedAt: null, source: null, lastError: null }]),
  );
  const records = new Map<string, RecordStatus>(
    deps.records.map((r) => [
      `${r.name}/${r.type}`,
      { name: r.name, type: r.type, content: null, state: "pending", lastChange: null, lastError: null },
    ]),
  );

  return {
    snapshot: () => ({
      version: deps.version,
      runtime: deps.runtime,
      startedAt: iso(startedAt),
      addresses: Object.fromEntries([...addresses].map(([f, a]) => [`ipv${f}`, { ...a }])),
      records: [...records.values()].map((r) => ({ ...r })),
      rounds,
      lastRoundAt: lastRoundAt === null ? null : iso(lastRoundAt),
    }),
    health() {
      const silentMs = deps.now() - lastBeat;
      if (silentMs > deps.staleAfterMs) {
        return { ok: false, reason: `the update loop has made no progress for ${Math.round(silentMs / 1000)}s` };
      }
      return { ok: true, reason: "ok" };
    },
    readiness() {
      const notOk = [...records.values()].filter((r) => r.state !== "ok");
      if (notOk.length === 0) return { ok: true, reason: "ok" };
      const shown = notOk.slice(0, 5).map((r) => `${r.name} ${r.type} ${r.state}${r.lastError ? ` (${r.lastError})` : ""}`);
      const more = notOk.length > 5 ? `; and ${notOk.length - 5} more` : "";
      return { ok: false, reason: `not confirmed: ${shown.join("; ")}${more}` };
    },
    setAddress(family, update) {
      const a = addresses.get(family);
      if (a) Object.assign(a, update);
    },
    setRecord(name, type, update) {
      const r = records.get(`${name}/${type}`);
      if (r) Object.assign(r, update);
    },
    getRecord: (name, type) => records.get(`${name}/${type}`),
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
