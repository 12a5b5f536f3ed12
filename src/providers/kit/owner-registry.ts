import type { RecordType } from "../../core/family.ts";
import type { HeldRecord } from "./record-plan.ts";
import type { RecordRequest } from "./types.ts";

/**
 * DDNS_OWNER_ID: ownership through a TXT registry beside each record, for providers whose records carry no comment
 * (docs/ownership.md). The owner records of `home.example.com A` are TXT records at `_ddnsd-a.home.example.com`
 * (`_ddnsd-aaaa.` for AAAA; `*.example.com` → `_ddnsd-a._wildcard.example.com`): a different name from the record's,
 * so never beside a CNAME there, and inside the zone at the apex. Each holds
 * `heritage=ddnsd,owner=<DDNS_OWNER_ID>,record=<the provider's record id>`, external-dns style plus the record it
 * vouches for, so that two daemons (two owners) can each own one record of the same name and type.
 */
/** The name of the owner records of (name, type). */
export function ownerName(name: string, type: RecordType): string {
  const label = `_ddnsd-${type.toLowerCase()}`;
  return name.startsWith("*.") ? `${label}._wildcard.${name.slice(2)}` : `${label}.${name}`;
}

/** The TXT text that says `owner` owns the record with id `recordId`. */
export const ownerText = (owner: string, recordId: string): string => `heritage=ddnsd,owner=${owner},record=${recordId}`;

/** What an owner TXT says, or undefined for any other text (quotes, as some APIs return them, are ignored). */
export function parseOwnerText(text: string): { owner: string; record: string } | undefined {
  const unquoted = text.trim().replace(/^"(.*)"$/s, "$1");
  const fields = new Map(unquoted.split(",").map((part) => [part.slice(0, part.indexOf("=")).trim(), part.slice(part.indexOf("=") + 1).trim()] as const));
  const owner = fields.get("owner");
  const record = fields.get("record");
  return fields.get("heritage") === "ddnsd" && owner && record ? { owner, record } : undefined;
}

/** The held records, each marked `owned` when an owner TXT of the request's owner names its id. */
export function markOwned(request: RecordRequest, held: readonly HeldRecord[], txts: readonly HeldRecord[]): HeldRecord[] {
  const ids = new Set(txts.map((t) => parseOwnerText(t.content)).filter((p) => p?.owner === request.ownerId).map((p) => p!.record));
  return held.map((r) => ({ ...r, owned: ids.has(r.id) }));
}
