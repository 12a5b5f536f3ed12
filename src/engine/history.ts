import type { Family } from "../core/family.ts";
import type { HistoryEntry } from "../state/history-types.ts";

/** How many events the daemon keeps (in memory, in `/status` and in the state file). */
export const HISTORY_LIMIT = 200;

export interface History {
  add(entry: HistoryEntry): void;
  /** Newest first, copies. */
  entries(): HistoryEntry[];
  /** Replaces the events with stored ones (given newest first, as `entries` returns them). */
  restore(entries: readonly HistoryEntry[]): void;
  /** The last address recorded for a family, so that a change is recorded once, across restarts too. */
  lastAddress(family: Family): string | undefined;
  /** A counter that moves with every change, so that a writer saves only when something is new. */
  revision(): number;
}

/**
 * The bounded event list: the newest `limit` events, the oldest dropped first. A plain array (oldest first) is
 * enough: with 200 entries a shift costs less than the round that produced the event.
 */
export function createHistory(limit = HISTORY_LIMIT): History {
  let events: HistoryEntry[] = [];
  let revision = 0;
  return {
    add(entry) {
      events.push({ ...entry });
      if (events.length > limit) events.splice(0, events.length - limit);
      revision += 1;
    },
    entries: () => events.map((e) => ({ ...e })).reverse(),
    restore(entries) {
      events = entries.slice(0, limit).map((e) => ({ ...e })).reverse();
      revision += 1;
    },
    lastAddress(family) {
      for (let i = events.length - 1; i >= 0; i--) {
        const e = events[i]!;
        if (e.kind === "address" && e.family === family) return e.to;
      }
      return undefined;
    },
    revision: () => revision,
  };
}
