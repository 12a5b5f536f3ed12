import { recordTypeOf, type Family, type FamilyAddress, type RecordType } from "../core/family.ts";
import { recordKey } from "../core/record-key.ts";

/**
 * The desired state, per record: which target (one provider instance with its secrets) holds it, its name and
 * type, and its own options. The engine computes each record's content from the detected address of its family
 * and these options; nothing is shared between records but the detection.
 */
export interface RecordOptions {
  /** The families this record is published for (A, AAAA). */
  ipVersions: Family[];
  /** A number is enforced; `auto` keeps an existing record's TTL and gives new ones the provider's default. */
  ttl: "auto" | number;
  /** Cloudflare's proxy flag; undefined = not set (existing records keep theirs, new ones are not proxied). */
  proxied?: boolean;
  /** Written where the provider stores comments (DDNS_RECORD_COMMENT, or the record's `comment` option). */
  comment?: string;
  /**
   * DDNS_MANAGED_RECORDS_COMMENT_REGEX: only records whose comment matches are this daemon's (unset: every record of
   * the name and type is).
   */
  managedComment?: RegExp;
  /** An interface identifier for AAAA records built from the detected prefix (issue: IPv6 for the whole LAN). */
  ipv6Suffix?: string;
}

/** One record a target manages, as configured. */
export interface RecordConfig {
  name: string;
  options: RecordOptions;
}

/** One (target, name, type) the engine keeps right. */
export interface ManagedRecord {
  /** `recordKey(target, name, type)`: how state, status and the engine find it. */
  key: string;
  target: string;
  name: string;
  type: RecordType;
  family: Family;
  options: RecordOptions;
}

/** The targets as the engine needs them (config/'s TargetConfig fits). */
export interface TargetRecords {
  id: string;
  records: readonly RecordConfig[];
}

/**
 * Every (target, name, type) the configuration asks for: a record is published for each family of its
 * `options.ipVersions`, in the order of `families` (A records first), then target by target, in configured order.
 */
export function expandRecords(targets: readonly TargetRecords[], families: readonly Family[]): ManagedRecord[] {
  return families.flatMap((family) =>
    targets.flatMap((t) =>
      t.records
        .filter((r) => r.options.ipVersions.includes(family))
        .map((r): ManagedRecord => {
          const ref = { target: t.id, name: r.name, type: recordTypeOf(family) };
          return { ...ref, key: recordKey(ref), family, options: r.options };
        }),
    ),
  );
}

/**
 * The content a record must hold, from the address detected for its family. Today the address itself; a record's
 * `ipv6Suffix` (the detected prefix + its own interface identifier) will be applied here.
 */
export function desiredContent(_record: ManagedRecord, detected: FamilyAddress): string {
  return detected.address;
}
