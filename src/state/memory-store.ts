import type { RecordState, StateStore } from "./types.ts";

/** Keeps state for the life of the process only: after a restart the first round re-reads the provider. */
export function createMemoryStore(): StateStore {
  let saved = new Map<string, RecordState>();
  return {
    type: "memory",
    load: async () => new Map([...saved].map(([k, v]) => [k, { ...v }])),
    save: async (records) => {
      saved = new Map([...records].map(([k, v]) => [k, { ...v }]));
    },
  };
}
