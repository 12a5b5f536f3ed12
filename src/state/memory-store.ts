import type { RecordState, StateStore } from "./types.ts";
import type { HistoryEntry } from "./history-types.ts";

/** Keeps state for the life of the process only: after a restart the first round re-reads the provider. */
export function createMemoryStore(): StateStore {
  let saved = new Map<string, RecordState>();
  let history: HistoryEntry[] = [];
  return {
    type: "memory",
    load: async () => new Map([...saved].map(([k, v]) => [k, { ...v }])),
    history: () => history.map((e) => ({ ...e })),
    save: async (records, entries) => {
      saved = new Map([...records].map(([k, v]) => [k, { ...v }]));
      if (entries) history = entries.map((e) => ({ ...e }));
    },
  };
}
