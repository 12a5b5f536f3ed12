import type { RecordType } from "../../core/family.ts";
import type { HeldRecord } from "./record-plan.ts";

/**
 * DDNS_OWNER_ID: ownership through a TXT registry beside each record, for providers whose records carry no comment
 * (docs/ownership.md). The owner records of `home.example.com A` are TXT records at `_ddnsd-a.home.example.com`
 * (`_ddnsd-aaaa.` for AAAA; `*.example.com` → `_ddnsd-a._wildcard.example.com`): a different name from the record's,
 * so never beside a CNAME there, and inside the zone at the apex. On the record template (records with ids) each
 * holds `heritage=ddnsd,owner=<DDNS_OWNER_ID>,record=<the provider's record id>`, external-dns style plus the record
 * it vouches for, so that two daemons (two owners) can each own one record of the same name and type. On the
 * set-replacing template the set is the unit: `heritage=ddnsd,owner=<DDNS_OWNER_ID>`, no record id. Pure.
 */
/** The name of the owner records of (name, type). */
export function ownerName(name: string, type: RecordType): string {
  const label = `_ddnsd-${type.toLowerCase()}`;
  return name.startsWith("*.") ? `${label}._wildcard.${name.slice(2)}` : `${label}.${name}`;
}

/** The TXT text that says `owner` owns the record with id `recordId` (or, without one, the whole set). */
export const ownerText = (owner: string, recordId?: string): string =>
  recordId === undefined ? `heritage=ddnsd,owner=${owner}` : `heritage=ddnsd,owner=${owner},record=${recordId}`;

export interface OwnerClaim {
  owner: string;
  /** The record id it names (record template); absent on a set's claim. */
  record?: string;
}

/** What an owner TXT says, or undefined for any other text (quotes, as some APIs return them, are ignored). */
export function parseOwnerText(text: string): OwnerClaim | undefined {
  const unquoted = text.trim().replace(/^"(.*)"$/s, "$1").replace(/"\s*"/g, "");
  const fields = new Map(unquoted.split(",").map((part) => [part.slice(0, part.indexOf("=")).trim(), part.slice(part.indexOf("=") + 1).trim()] as const));
  const owner = fields.get("owner");
  const record = fields.get("record");
  if (fields.get("heritage") !== "ddnsd" || !owner) return undefined;
  return record ? { owner, record } : { owner };
}

/** The owner TXT records of one name, read: each with what it claims (texts that are not ddnsd's left out). */
export type Claimed = { txt: HeldRecord; claim: OwnerClaim & { record: string } };

export function claimsOf(txts: readonly HeldRecord[]): Claimed[] {
  return txts.flatMap((txt) => {
    const claim = parseOwnerText(txt.content);
    return claim?.record === undefined ? [] : [{ txt, claim: { owner: claim.owner, record: claim.record } }];
  });
}

/**
 * The held records, each marked `owned` (with the owner TXT records that vouch for it, `registry`) when an owner TXT
 * of `owner` names its id.
 */
export function markOwned(owner: string, held: readonly HeldRecord[], claims: readonly Claimed[]): HeldRecord[] {
  return held.map((r) => {
    const registry = claims.filter((c) => c.claim.owner === owner && c.claim.record === r.id).map((c) => c.txt);
    return registry.length > 0 ? { ...r, owned: true, registry } : { ...r, owned: false };
  });
}

/** The owner TXT records of `owner` that name no record the name still holds: leftovers, to be deleted. */
export function leftovers(owner: string, held: readonly HeldRecord[], claims: readonly Claimed[]): HeldRecord[] {
  const ids = new Set(held.map((r) => r.id));
  return claims.filter((c) => c.claim.owner === owner && !ids.has(c.claim.record)).map((c) => c.txt);
}

/** With DDNS_OWNER_ADOPT: the records no owner TXT of anyone names — adopted when this owner owns none yet. */
export function adoptable(held: readonly HeldRecord[], claims: readonly Claimed[]): HeldRecord[] {
  if (held.some((r) => r.owned)) return [];
  const named = new Set(claims.map((c) => c.claim.record));
  return held.filter((r) => !named.has(r.id));
}
