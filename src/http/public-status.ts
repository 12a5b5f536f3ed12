import type { AddressStatus, RecordStatus, StatusSnapshot } from "../engine/status-board.ts";

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
}

export interface PublicStatus {
  version: string;
  runtime: string;
  startedAt: string;
  lastRoundAt: string | null;
  rounds: number;
  addresses: { ipv4?: PublicAddress; ipv6?: PublicAddress };
  records: PublicRecord[];
}

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
});

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
  };
}
