import * as v from "valibot";
import { parseAddress } from "../core/address-rules.ts";
import { normaliseRecordName } from "../core/record-names.ts";
import type { RecordType } from "../core/family.ts";

/**
 * The checks the state file's fields share (state-schema.ts, and history-schema.ts for its history): times the
 * daemon could have written, record names, target ids and addresses in canonical form, and how a bad value is
 * quoted in the warning.
 */
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

