import { normaliseRecordName } from "../core/record-names.ts";
import { checkPublishable, parseAddress } from "../core/address-rules.ts";
import type { Family } from "../core/family.ts";
import type { FamilyAddress } from "../core/family.ts";

/**
 * Reads a DynDNS2 query: `hostname=a,b` (required; at most MAX_HOSTS), and the addresses from `myip` (one, or
 * `v4,v6` as FRITZ!Box sends both), `myipv4` and `myipv6`. Without any of them the caller's address is used.
 * Other parameters routers send (`system`, `wildcard`, `mx`, `backmx`, `offline`) are accepted and ignored.
 */
export const MAX_HOSTS = 20;

export interface RequestedHost {
  /** As the client wrote it (for logs, quoted). */
  raw: string;
  /** Normalised (lower case, punycode, no trailing dot); undefined when it is not a fully-qualified name. */
  name: string | undefined;
}

export type HostsParse = { ok: true; hosts: RequestedHost[] } | { ok: false; code: "notfqdn" | "numhost" };

export function parseHostnames(query: URLSearchParams): HostsParse {
  const raw = query.getAll("hostname").join(",");
  const parts = raw.split(",").map((s) => s.trim()).filter(Boolean);
  if (parts.length === 0) return { ok: false, code: "notfqdn" };
  if (parts.length > MAX_HOSTS) return { ok: false, code: "numhost" };
  return {
    ok: true,
    hosts: parts.map((part) => {
      const n = normaliseRecordName(part);
      return { raw: part, name: n.ok ? n.name : undefined };
    }),
  };
}

export type AddressesParse =
  | { ok: true; addresses: FamilyAddress[]; ignored: FamilyAddress[]; fromCaller: boolean }
  | { ok: false; reason: string };

export interface AddressRules {
  families: readonly Family[];
  allowPrivate: boolean;
}

const quote = (s: string) => JSON.stringify(s.length > 64 ? `${s.slice(0, 64)}…` : s);

/** The addresses to publish, each checked with the shared rules (checkPublishable); `reason` says what is wrong. */
export function parseAddresses(query: URLSearchParams, caller: string | undefined, rules: AddressRules): AddressesParse {
  const given: Array<{ text: string; param: string; family?: Family }> = [];
  for (const text of query.getAll("myip").join(",").split(",")) given.push({ text: text.trim(), param: "myip" });
  for (const text of query.getAll("myipv4")) given.push({ text: text.trim(), param: "myipv4", family: 4 });
  for (const text of query.getAll("myipv6")) given.push({ text: text.trim(), param: "myipv6", family: 6 });
  const texts = given.filter((g) => g.text !== "");
  const fromCaller = texts.length === 0;
  if (fromCaller) {
    if (caller === undefined) return { ok: false, reason: "no myip was given and the caller's address is unknown" };
    texts.push({ text: caller, param: "the caller's address" });
  }

  const found = new Map<Family, string>();
  for (const { text, param, family } of texts) {
    const parsed = parseAddress(text);
    if (!parsed) return { ok: false, reason: `${param} ${quote(text)} is not an IP address` };
    if (family !== undefined && parsed.family !== family) return { ok: false, reason: `${param} ${quote(text)} is not an IPv${family} address` };
    const before = found.get(parsed.family);
    if (before !== undefined && before !== parsed.address) {
      return { ok: false, reason: `two IPv${parsed.family} addresses were given (${quote(before)} and ${quote(parsed.address)})` };
    }
    found.set(parsed.family, parsed.address);
  }

  const addresses: FamilyAddress[] = [];
  const ignored: FamilyAddress[] = [];
  for (const [family, address] of [...found].sort((a, b) => a[0] - b[0])) {
    if (!rules.families.includes(family)) {
      ignored.push({ family, address });
      continue;
    }
    const verdict = checkPublishable(address, family, { allowPrivate: rules.allowPrivate });
    if (!verdict.ok) return { ok: false, reason: fromCaller ? `no myip was given and the caller's address ${verdict.reason}` : verdict.reason };
    addresses.push({ family, address: verdict.address });
  }
  if (addresses.length === 0) {
    const only = ignored.map((a) => `IPv${a.family}`).join(" and ");
    const managed = rules.families.map((f) => `IPv${f}`).join(" and ");
    return { ok: false, reason: `the request carries only ${only}${fromCaller ? " (the caller's address)" : ""}, but this endpoint publishes ${managed} only` };
  }
  return { ok: true, addresses, ignored, fromCaller };
}
