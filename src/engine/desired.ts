import type { Family, RecordType } from "../core/family.ts";

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
  /** Written where the provider stores comments. */
  comment?: string;
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
  target: string;
  name: string;
  type: RecordType;
  family: Family;
  options: RecordOptions;
}
