import * as v from "valibot";
import type { RecordType } from "../core/family.ts";
import { holdsAddressOf, quote, recordName, targetId, time } from "./schema-parts.ts";
import { historyEntrySchema } from "./history-schema.ts";

/**
 * What a state file must hold, every field checked as strictly as the daemon writes it: a file that fails here is
 * moved aside and the state rebuilt from the provider (file-store.ts), instead of a bad value reaching the engine —
 * a timestamp beyond the Date range crashed the start (`Invalid Date`, exit 2, a crash loop), a time in the future
 * suspended the periodic re-read until then, a content with CR LF could forge log lines.
 *
 * Format 3 adds the history (`/status`'s `history`, the status page's timeline), newest first. Format 2 named each
 * record's target (the provider instance that holds it); format 1 was written before there were targets. Both are
 * still read (a file of either has no history; file-store.ts decides whose format 1's records are) and never written.
 */
export const FORMAT_VERSION = 3;

/** The content must be an address of the record's type, in canonical form (checked after the fields themselves). */
const contentIssue = (r: { type: RecordType; content: string }) =>
  `Invalid content: expected an IPv${r.type === "A" ? 4 : 6} address but received ${quote(r.content)}`;

/** The schema of a state file (format 3; 2 without history; 1 without targets), with `now` for the "not in the future" check. */
export function stateFileSchema(now: () => number) {
  const fields = {
    name: recordName,
    type: v.picklist(["A", "AAAA"]),
    content: v.string(),
    changedAt: time(now),
    verifiedAt: time(now),
    // Added within format 3: optional, so files without it (and older daemons reading files with it) stay readable.
    notOwned: v.optional(v.pipe(v.array(v.object({ address: v.pipe(v.string(), v.maxLength(64)), why: v.pipe(v.string(), v.maxLength(1000)) })), v.maxLength(100))),
  };
  const v2 = v.pipe(
    v.object({ target: targetId, ...fields }),
    v.forward(v.check((r) => holdsAddressOf(r.type, r.content), (issue) => contentIssue(issue.input)), ["content"]),
  );
  const v1 = v.pipe(
    v.object(fields),
    v.forward(v.check((r) => holdsAddressOf(r.type, r.content), (issue) => contentIssue(issue.input)), ["content"]),
  );
  return v.variant("version", [
    v.object({ version: v.literal(FORMAT_VERSION), records: v.array(v2), history: v.array(historyEntrySchema(now)) }),
    v.object({ version: v.literal(2), records: v.array(v2) }),
    v.object({ version: v.literal(1), records: v.array(v1) }),
  ]);
}

export type StateFile = v.InferOutput<ReturnType<typeof stateFileSchema>>;
