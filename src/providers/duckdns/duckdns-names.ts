import { quote } from "../../core/quote.ts";

/**
 * Which names DuckDNS can update: `<sub>.duckdns.org`, by its subname. Every name below a subdomain answers with
 * the subdomain's address, so such names (and wildcards) cannot be updated on their own.
 */
export const DUCKDNS_SUFFIX = ".duckdns.org";

/** The subname of a DuckDNS record, or the operator-facing reason it cannot be one (the reason only). */
export function duckDnsSubname(name: string): { ok: true; sub: string } | { ok: false; message: string } {
  const notDuck = "the name is not a DuckDNS name: DuckDNS updates only names of the form <subdomain>.duckdns.org; correct DDNS_RECORDS";
  if (!name.endsWith(DUCKDNS_SUFFIX)) return { ok: false, message: notDuck };
  const labels = name.slice(0, -DUCKDNS_SUFFIX.length).split(".");
  const sub = labels[labels.length - 1] ?? "";
  if (sub === "" || sub === "*") return { ok: false, message: notDuck };
  if (labels.length > 1) {
    const parent = quote(`${sub}${DUCKDNS_SUFFIX}`, 80);
    return { ok: false, message: `DuckDNS cannot update this name on its own: it updates ${parent}, which also answers for every name below it; list ${parent} in DDNS_RECORDS instead` };
  }
  return { ok: true, sub };
}
