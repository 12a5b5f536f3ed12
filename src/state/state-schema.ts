import * as v from "valibot";
import { parseAddress } from "../core/address-rules.ts";
import { normaliseRecordName } from "../core/record-names.ts";
import type { RecordType } from "../core/family.ts";

/**
 * What a state file must hold, every field checked as strictly as the daemon writes it: a file that fails here is
 * moved aside and the state rebuilt from the provider (file-store.ts), instead of a bad value reaching the engine —
 * a timestamp beyond the Date range crashed the start (`Invalid Date`, exit 2, a crash loop), a time in the future
 * suspended the periodic re-read until then, a content with CR LF could forge log lines.
 *
 * Format 2 names each record's target (the provider instance that holds it). Format 1, written before there were
 * targets, is still read (file-store.ts decides whose its records are); it is never written.
 */
export const FORMAT_VERSION = 2;

/** How far in the future a stored time may be (a clock stepped back a little by NTP) before the file is refused. */
export const FUTURE_SKEW_MS = 5 * 60_000;

export const quote = (value: unknown) => {
  const text = typeof value === "string" ? value : String(value);
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
};

/** Epoch milliseconds the daemon could have written: a whole number from 1970 to now (plus the skew). */
export function time(now: () => number) {
  return v.pipe(
    v.number(),
    v.check(
      (t: number) => Number.isSafeInteger(t) && t >= 0,
      (issue) => `Invalid time: expected whole milliseconds since 1970 but received ${String(issue.input)}`,
    ),
    v.check(
      (t: number) => t <= now() + FUTURE_SKEW_MS,
      (issue) => `Invalid time: ${String(issue.input)} is in the future (is the system clock right?)`,
    ),
  );
}

export const recordName = v.pipe(
  v.string(),
  v.check(
    (name: string) => {
      const normalised = normaliseRecordName(name);
      return normalised.ok && normalised.name === name;
    },
    (issue) => `Invalid name: expected a record name such as "home.example.com" but received ${quote(issue.input)}`,
  ),
);

/** The content as the daemon writes it: the canonical form of an address of the record's family. */
export const holdsAddressOf = (type: RecordType, content: string) => {
  const parsed = parseAddress(content);
  return parsed !== undefined && parsed.family === (type === "A" ? 4 : 6) && parsed.address === content;
};

/** A target id as config/ gives them (`[[target]]` ids, provider ids, `cloudflare-2`). */
export const targetId = v.pipe(
  v.string(),
  v.check(
    (id: string) => /^[a-z0-9][a-z0-9_-]{0,31}$/.test(id),
    (issue) => `Invalid target: expected a target id such as "cloudflare" but received ${quote(issue.input)}`,
  ),
);

/** The content must be an address of the record's type, in canonical form (checked after the fields themselves). */
const contentIssue = (r: { type: RecordType; content: string }) =>
  `Invalid content: expected an IPv${r.type === "A" ? 4 : 6} address but received ${quote(r.content)}`;

/** The schema of a state file (format 2, or format 1 without targets), with `now` for the "not in the future" check. */
export function stateFileSchema(now: () => number) {
  const fields = {
    name: recordName,
    type: v.picklist(["A", "AAAA"]),
    content: v.string(),
    changedAt: time(now),
    verifiedAt: time(now),
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
    v.object({ version: v.literal(FORMAT_VERSION), records: v.array(v2) }),
    v.object({ version: v.literal(1), records: v.array(v1) }),
  ]);
}

export type StateFile = v.InferOutput<ReturnType<typeof stateFileSchema>>;
