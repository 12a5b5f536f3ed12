import { quote } from "../core/quote.ts";
import type { RecordConfig } from "../engine/desired.ts";
import type { ProviderDescriptor } from "../providers/kit/descriptor.ts";

/**
 * A target's ownership settings: DDNS_RECORD_COMMENT (the comment written on every record ddnsd creates or updates;
 * a record's `comment` option overrides it) and DDNS_MANAGED_RECORDS_COMMENT_REGEX (only records whose comment
 * matches are this daemon's). Checked together, because a regex that the daemon's own comment does not match would
 * make every record it creates a stranger's: it would create another one each round.
 */
export interface OwnershipInput {
  comment?: string;
  regex?: string;
}

// biome-ignore lint: any provider's descriptor
type AnyDescriptor = ProviderDescriptor<any>;

/** A problem as `[variable, reason completing "<name> …"]`. */
export type OwnershipProblem = [variable: string, reason: string];

export function commentProblem(comment: string): string | undefined {
  return /[\x00-\x1f\x7f]/.test(comment) || comment.length > 500 ? "must be one line of at most 500 characters" : undefined;
}

/** The compiled regex, or why it is not one. Matched anywhere in the comment (anchor it with ^…$ for a whole match). */
export function compileCommentRegex(text: string): { ok: true; regex: RegExp } | { ok: false; reason: string } {
  try {
    return { ok: true, regex: new RegExp(text) };
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/^Invalid regular expression: /, "") : String(error);
    return { ok: false, reason: `is not a valid regular expression: ${detail} (JavaScript RegExp syntax, e.g. ^ddnsd:home$)` };
  }
}

/** Why the records' comments and the regex do not fit this provider, or undefined. Warnings go to `warnings`. */
export function ownershipProblem(descriptor: AnyDescriptor, input: OwnershipInput, regex: RegExp | undefined, records: readonly RecordConfig[], warnings: string[], name: (variable: string) => string): OwnershipProblem | undefined {
  const stores = descriptor.capabilities.comments;
  if (regex && !stores) {
    return ["DDNS_MANAGED_RECORDS_COMMENT_REGEX", `needs a provider that stores comments; ${descriptor.id} records have none (unset it; several daemons on one name need a provider with comments)`];
  }
  if (!stores) {
    if (input.comment !== undefined) warnings.push(`${name("DDNS_RECORD_COMMENT")} has no effect with ${descriptor.id} (its records store no comment); ignored.`);
    const named = records.filter((r) => r.options.comment !== undefined && r.options.comment !== input.comment);
    if (named.length > 0) warnings.push(`${name("DDNS_RECORDS")}: the comment of ${named.map((r) => quote(r.name)).join(", ")} has no effect with ${descriptor.id} (its records store no comment); ignored.`);
    return undefined;
  }
  if (!regex) return undefined;
  const shown = quote(regex.source);
  const consequence = "ddnsd would not own the records it creates and would add another one each round";
  for (const record of records) {
    const comment = record.options.comment ?? "";
    if (regex.test(comment)) continue;
    if (record.options.comment !== undefined && record.options.comment !== input.comment) {
      return ["DDNS_RECORDS", `gives ${quote(record.name)} the comment ${quote(comment)}, which DDNS_MANAGED_RECORDS_COMMENT_REGEX (${shown}) does not match: ${consequence}; give it a comment the regex matches`];
    }
    if (input.comment !== undefined) {
      return ["DDNS_RECORD_COMMENT", `(${quote(comment)}) does not match DDNS_MANAGED_RECORDS_COMMENT_REGEX (${shown}): ${consequence}; make the two fit`];
    }
    return ["DDNS_MANAGED_RECORDS_COMMENT_REGEX", `(${shown}) does not match an empty comment, and DDNS_RECORD_COMMENT is not set: ${consequence}; set DDNS_RECORD_COMMENT to a comment the regex matches`];
  }
  return undefined;
}

/**
 * Why DDNS_OWNER_ID cannot be used as given, or undefined: it goes into owner TXT records as `owner=<id>`, so it is
 * one short word; it needs a provider that can read and write TXT records beside its records; and it is one way of
 * telling ddnsd's records apart, the comment regex the other.
 */
export function ownerIdProblem(descriptor: AnyDescriptor, ownerId: string, regex: RegExp | undefined): OwnershipProblem | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(ownerId)) {
    return ["DDNS_OWNER_ID", `must be 1 to 63 letters, digits, dots, underscores or hyphens, starting with a letter or digit (got ${quote(ownerId, 80)}), e.g. site-a`];
  }
  if (regex) {
    return ["DDNS_OWNER_ID", `and DDNS_MANAGED_RECORDS_COMMENT_REGEX cannot be combined: use the comment regex where the provider stores comments (${descriptor.id} ${descriptor.capabilities.comments ? "does" : "does not"}), DDNS_OWNER_ID where it does not; unset one`];
  }
  if (!descriptor.capabilities.read) {
    return ["DDNS_OWNER_ID", `cannot be used with ${descriptor.id}: it sends updates without reading records back, so ddnsd cannot read owner TXT records or tell its records from others; unset it`];
  }
  if (!descriptor.capabilities.ownerRegistry) {
    return ["DDNS_OWNER_ID", `is not supported by ${descriptor.id} (the owner TXT registry needs a provider that reads and writes TXT records beside its records; docs/ownership.md lists them); unset it${descriptor.capabilities.comments ? ", or use DDNS_RECORD_COMMENT with DDNS_MANAGED_RECORDS_COMMENT_REGEX" : ""}`];
  }
  return undefined;
}

/**
 * Why DDNS_DELETE_ON_STOP does nothing with this provider, or undefined when it deletes (the capability `delete`,
 * `read` by default). Said once at start-up and by `check`; the stop says it again ("cannot delete records").
 */
export function deleteOnStopWarning(descriptor: AnyDescriptor, target?: string): string | undefined {
  const caps = descriptor.capabilities;
  if (caps.delete ?? caps.read) return undefined;
  const why = caps.read ? "ddnsd cannot delete its record sets yet" : "its update URL can set an address but not delete or clear one";
  return `DDNS_DELETE_ON_STOP has no effect with ${descriptor.id}${target ? ` (target ${target})` : ""} (${why}); its records stay in place when ddnsd stops.`;
}

/** Why DDNS_OWNER_ADOPT cannot be used as given: it adopts records for an owner, so it needs DDNS_OWNER_ID. */
export function ownerAdoptProblem(adopt: boolean, ownerId: string | undefined): OwnershipProblem | undefined {
  return adopt && ownerId === undefined ? ["DDNS_OWNER_ADOPT", "needs DDNS_OWNER_ID: it adopts records for that owner (docs/ownership.md); set DDNS_OWNER_ID or unset DDNS_OWNER_ADOPT"] : undefined;
}
