import * as v from "valibot";
import type { RecordType } from "../core/family.ts";
import { holdsAddressOf, quote, recordName, targetId, time } from "./schema-parts.ts";

/**
 * One entry of the state file's `history` (format 3), as strictly as the daemon writes it, like the records: a file
 * with a bad entry is moved aside like any state file the daemon could not have written (file-store.ts).
 */

/** Longer texts than the daemon writes (a provider's reason is one line of a few hundred characters). */
const MAX_TEXT = 2000;

/** One line of printable text, as the engine writes reasons and source descriptions. */
const text = v.pipe(
  v.string(),
  v.maxLength(MAX_TEXT),
  v.check((t: string) => !/[\u0000-\u001f\u007f]/.test(t), (issue) => `Invalid text: expected one line without control characters but received ${quote(issue.input)}`),
);

const addressOf = (type: RecordType) =>
  v.pipe(
    v.string(),
    v.check((a: string) => holdsAddressOf(type, a), (issue) => `Invalid address: expected an IPv${type === "A" ? 4 : 6} address but received ${quote(issue.input)}`),
  );

/** A record's earlier content: an address, or several joined by ", " (a provider held more than one). */
const previousOf = (type: RecordType) =>
  v.pipe(
    v.string(),
    v.check((a: string) => a.split(", ").every((one) => holdsAddressOf(type, one)), (issue) => `Invalid address: expected IPv${type === "A" ? 4 : 6} addresses but received ${quote(issue.input)}`),
  );

export function historyEntrySchema(now: () => number) {
  const address = (family: 4 | 6) => {
    const type = family === 4 ? "A" : "AAAA";
    return v.object({ at: time(now), kind: v.literal("address"), family: v.literal(family), from: v.nullable(addressOf(type)), to: addressOf(type), source: v.nullable(text) });
  };
  const record = (type: RecordType) =>
    v.object({
      at: time(now),
      kind: v.literal("record"),
      target: targetId,
      name: recordName,
      type: v.literal(type),
      from: v.nullable(previousOf(type)),
      to: addressOf(type),
      result: v.picklist(["created", "updated", "failed"]),
      error: v.nullable(text),
    });
  // Variants, so that a bad field is named (`entries.3.to`) instead of "matches none of the four shapes".
  const entry = v.variant("kind", [v.variant("family", [address(4), address(6)]), v.variant("type", [record("A"), record("AAAA")])]);
  return entry;
}
