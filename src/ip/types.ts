import type { Family } from "../core/family.ts";


/** One detection answer for one family. `address` is canonical text (ipaddr.js `toString()`). */
export type Detection =
  | { ok: true; family: Family; address: string; source: string }
  | {
      ok: false;
      family: Family;
      error: string;
      /**
       * The source has no public address to give (an interface behind NAT, a router behind double NAT or not
       * answering): with DDNS_IP_SOURCE_HTTP_FALLBACK=true the engine asks the http source instead.
       */
      wantsFallback?: boolean;
    };

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
