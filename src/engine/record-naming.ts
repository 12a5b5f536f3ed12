import type { RecordRef } from "../core/record-key.ts";

/**
 * How operator-facing text and metric labels name a record. With one target (every environment-only
 * configuration) nothing changes from the single-provider daemon: `A record home.example.com`, labels
 * `{record, type}`. With several targets the target is named too: `A record home.example.com (target home)`,
 * labels `{target, record, type}` — a name may then be held by two targets.
 */
export interface RecordNaming {
  /** Several targets are configured. */
  readonly several: boolean;
  /** `A record home.example.com` — a record alone in a line. */
  subject(r: RecordRef): string;
  /** `home.example.com A` — a record in a list. */
  item(r: RecordRef): string;
  /** The labels of a per-record metric series. */
  labels(r: RecordRef): Record<string, string>;
  /** The labels of a per-type series (`ddns_records_not_owned`): the type, and the target when there are several. */
  typeLabels(r: Pick<RecordRef, "target" | "type">): Record<string, string>;
}

export function recordNaming(several: boolean): RecordNaming {
  const of = (r: RecordRef) => (several ? ` (target ${r.target})` : "");
  return {
    several,
    subject: (r) => `${r.type} record ${r.name}${of(r)}`,
    item: (r) => `${r.name} ${r.type}${of(r)}`,
    labels: (r): Record<string, string> => (several ? { target: r.target, record: r.name, type: r.type } : { record: r.name, type: r.type }),
    typeLabels: (r): Record<string, string> => (several ? { target: r.target, type: r.type } : { type: r.type }),
  };
}
