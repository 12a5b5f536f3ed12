import { recordTypeOf, type Family, type FamilyAddress, type RecordType } from "../core/family.ts";
import { recordKey } from "../core/record-key.ts";
import { applyIpv6Suffix, type Ipv6Suffix } from "../core/ipv6-suffix.ts";
import { checkPublishable, type Verdict } from "../core/address-rules.ts";

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
  /** DDNS_OWNER_ID: only records an owner TXT of this id names are this daemon's (docs/ownership.md). */
  ownerId?: string;
  /** DDNS_OWNER_ADOPT: records no owner TXT names are adopted while this owner owns none (docs/ownership.md). */
  ownerAdopt?: boolean;
  /** An interface identifier for AAAA records built from the detected prefix (docs/ipv6-suffixes.md). */
  ipv6Suffix?: Ipv6Suffix;
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
 * The content a record must hold, from the address detected for its family: the address itself, or for an AAAA
 * record with an `ipv6Suffix` the detected prefix + the record's own interface identifier. A derived address goes
 * through the same publishing rules as a detected one (a Teredo prefix with a suffix may embed a private IPv4
 * address); the reason, when refused, names the record.
 */
export function desiredContent(record: ManagedRecord, detected: FamilyAddress, rules: { allowPrivate: boolean }): Verdict {
  const suffix = record.options.ipv6Suffix;
  if (record.family !== 6 || suffix === undefined) return { ok: true, address: detected.address };
  const derived = applyIpv6Suffix(detected.address, suffix);
  const verdict = checkPublishable(derived, 6, rules);
  if (verdict.ok) return verdict;
  return { ok: false, reason: `the AAAA of ${JSON.stringify(record.name)} (detected prefix + ipv6_suffix=${suffix.text}): ${verdict.reason}` };
}

/** The content, or undefined when the derived address may not be published (the record then cannot hold it). */
export function contentOf(record: ManagedRecord, detected: FamilyAddress, rules: { allowPrivate: boolean }): string | undefined {
  const verdict = desiredContent(record, detected, rules);
  return verdict.ok ? verdict.address : undefined;
}
