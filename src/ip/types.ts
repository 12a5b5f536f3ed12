/** The two address families ddnsd manages, and the DNS record type each one is published as. */
export type Family = 4 | 6;
export type RecordType = "A" | "AAAA";

export const recordTypeOf = (family: Family): RecordType => (family === 4 ? "A" : "AAAA");
export const familyOf = (type: RecordType): Family => (type === "A" ? 4 : 6);

/** One detection answer for one family. `address` is canonical text (ipaddr.js `toString()`). */
export type Detection =
  | { ok: true; family: Family; address: string; source: string }
  | { ok: false; family: Family; error: string };

/**
 * Where addresses come from. `detect` is asked once per round and per family; it never throws — a failure is
 * `{ ok: false }` and the engine leaves that family's records alone this round.
 * `watch`, when a source has it, calls `onChange` as soon as it learns of a change (netlink events, pushes),
 * so that the daemon can start a round at once instead of waiting for the next poll.
 */
export interface IpSource {
  readonly type: string;
  detect(family: Family, signal: AbortSignal): Promise<Detection>;
  watch?(onChange: (reason: string) => void): Promise<void>;
  close?(): Promise<void>;
}
