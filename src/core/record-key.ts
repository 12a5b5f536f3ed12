import type { RecordType } from "./family.ts";

/**
 * What names one managed record everywhere (state, engine, status, update server): the target that holds it (one
 * provider instance), its name and its type. Target ids are lower-case letters, digits, `-` and `_`, names never
 * hold a `/`: the key is unambiguous.
 */
export interface RecordRef {
  target: string;
  name: string;
  type: RecordType;
}

/** The one way to build a record's key: `target/name/type`. */
export const recordKey = (r: RecordRef): string => `${r.target}/${r.name}/${r.type}`;
