import { canonicalOf } from "../../core/address-rules.ts";
import { quote } from "../../core/quote.ts";
import type { RecordType } from "../../core/family.ts";
import type { LeftAlone, RecordRequest } from "./types.ts";

/** The record types ddnsd writes: the addresses, and the TXT of the owner registry (owner-registry.ts). */
export type WrittenType = RecordType | "TXT";

/**
 * The record-set planner: what one (name, type) needs, decided from what the provider holds. Pure; the templates
 * execute it. Only the address decides whether a record is written: the TTL and proxy flag the operator set are what
 * a record ddnsd creates gets, and a record that exists keeps its own (TTL, proxy status and comments set by hand
 * stay). A comment ddnsd writes (DDNS_RECORD_COMMENT) goes along with every write it makes. The record kept is one
 * that already holds the address when there is one, so that a change never makes the name stop answering; the
 * other records of the set are duplicates and go.
 *
 * With DDNS_MANAGED_RECORDS_COMMENT_REGEX (`request.managedComment`) only the records whose comment matches are
 * ddnsd's: the plan is made among those alone (kept, updated, duplicates deleted; a new one created when none
 * matches), and every other record of the name and type is `foreign` — never written, never deleted. With
 * DDNS_OWNER_ID (`request.ownerId`) the same holds for the records an owner TXT of this owner names (`owned`, marked
 * when read: owner-registry.ts).
 */
export interface HeldRecord {
  /** The provider's id of the record (or of the value, for set-based APIs that have none: the content). */
  id: string;
  content: string;
  ttl?: number;
  proxied?: boolean;
  comment?: string;
  /** With DDNS_OWNER_ID: whether an owner TXT of this daemon's owner names this record (owner-registry.ts). */
  owned?: boolean;
  /** With DDNS_OWNER_ID: the owner TXT records of this daemon that name it (deleted with it). */
  registry?: HeldRecord[];
}

/** The fields of a kept record that must change. */
export interface RecordChanges {
  content: string;
  comment?: string;
}

export interface NewRecord {
  name: string;
  /** TXT only for the owner records of DDNS_OWNER_ID (owner-registry.ts). */
  type: WrittenType;
  content: string;
  /** `undefined`: the provider's default for new records (its descriptor's "auto"). */
  ttl?: number;
  proxied?: boolean;
  comment?: string;
}

export interface RecordPlan {
  request: RecordRequest;
  /** What the provider held before (every record's content, in the provider's order). */
  previous: string[];
  keep?: HeldRecord;
  update?: RecordChanges;
  create?: NewRecord;
  deletes: HeldRecord[];
  /** Records of the name and type that are not ddnsd's (their comment does not match): left exactly as they are. */
  foreign: HeldRecord[];
}

/**
 * Whether a held record is ddnsd's: every record is, unless DDNS_OWNER_ID (only those its owner TXT names) or
 * DDNS_MANAGED_RECORDS_COMMENT_REGEX (only those whose comment matches) says otherwise.
 */
export function isOwned(request: RecordRequest, record: Pick<HeldRecord, "comment" | "owned">): boolean {
  if (request.ownerId !== undefined) return record.owned === true;
  return request.managedComment === undefined || request.managedComment.test(record.comment ?? "");
}

/** Address equality that ignores spelling (`2001:db8::1` = `2001:0db8:0:0::1`). */
export function sameAddress(a: string, b: string): boolean {
  const pa = canonicalOf(a);
  const pb = canonicalOf(b);
  return pa !== undefined && pb !== undefined ? pa === pb : a.trim() === b.trim();
}

/** An address in its canonical spelling (other text as it is, trimmed): what `previous` lists. */
export function canonicalAddress(text: string): string {
  return canonicalOf(text) ?? text.trim();
}

/** The record a new one would be: the request's address with what the operator set. */
export function newRecordOf(request: RecordRequest): NewRecord {
  const record: NewRecord = { name: request.name, type: request.type, content: request.content };
  if (typeof request.ttl === "number") record.ttl = request.ttl;
  if (request.proxied !== undefined) record.proxied = request.proxied;
  if (request.comment !== undefined) record.comment = request.comment;
  return record;
}

function changesFor(request: RecordRequest, keep: HeldRecord): RecordChanges | undefined {
  if (sameAddress(keep.content, request.content)) return undefined;
  const changes: RecordChanges = { content: request.content };
  if (request.comment !== undefined && (keep.comment ?? "") !== request.comment) changes.comment = request.comment;
  return changes;
}

export function planRecordSet(request: RecordRequest, all: readonly HeldRecord[]): RecordPlan {
  const held = all.filter((r) => isOwned(request, r));
  const foreign = all.filter((r) => !held.includes(r));
  const previous = held.map((r) => r.content);
  if (held.length === 0) return { request, previous, create: newRecordOf(request), deletes: [], foreign };
  const keep = held.find((r) => sameAddress(r.content, request.content)) ?? held[0]!;
  const update = changesFor(request, keep);
  return { request, previous, keep, ...(update ? { update } : {}), deletes: held.filter((r) => r !== keep), foreign };
}

export const needsWrite = (p: RecordPlan): boolean => p.update !== undefined || p.create !== undefined || p.deletes.length > 0;

/** Write operations the plan stands for (batch sizing). */
export const operationCount = (p: RecordPlan): number => (p.update ? 1 : 0) + (p.create ? 1 : 0) + p.deletes.length;

/** The records a plan leaves alone as not ddnsd's, as a result reports them (nothing when there are none). */
export const notOwnedOf = (p: RecordPlan): { notOwned?: string[]; leftAlone?: LeftAlone[] } =>
  p.foreign.length > 0 ? { notOwned: p.foreign.map((r) => canonicalAddress(r.content)), leftAlone: p.foreign.map((r) => ({ address: canonicalAddress(r.content), why: whyNotOwned(p.request, r.comment) })) } : {};

/** Why a record is not ddnsd's, for /status: the owner registry's or the comment regex's verdict. */
export function whyNotOwned(request: RecordRequest, comment: string | undefined): string {
  if (request.ownerId !== undefined) return "no owner TXT record of DDNS_OWNER_ID names it";
  return comment ? `comment ${quote(comment)} does not match DDNS_MANAGED_RECORDS_COMMENT_REGEX` : "it has no comment, which DDNS_MANAGED_RECORDS_COMMENT_REGEX does not match";
}

/** The outcome a plan reports once written (or, in a dry run, would report). */
export function planOutcome(p: RecordPlan, dryRun: boolean): "created" | "updated" | "unchanged" | "planned" {
  if (!needsWrite(p)) return "unchanged";
  if (dryRun) return "planned";
  return p.create ? "created" : "updated";
}

/**
 * For set-based APIs (the whole RRset is replaced, TTL included): whether the held values and TTL already match. The
 * values are compared as addresses; the TTL only when the operator set one (the replaced set gets it).
 */
export function rrsetMatches(request: RecordRequest, held: { values: readonly string[]; ttl?: number }): boolean {
  if (held.values.length !== 1 || !sameAddress(held.values[0]!, request.content)) return false;
  return typeof request.ttl !== "number" || held.ttl === undefined || held.ttl === request.ttl;
}
