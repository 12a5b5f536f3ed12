import { parseAddress } from "../../core/address-rules.ts";
import { quote } from "../../core/quote.ts";
import type { Reply } from "../kit/rest-api.ts";
import type { UnitVerdict } from "../kit/update-url-provider.ts";

/**
 * How Namecheap's dynamic DNS answers (namecheap.com knowledge base "How do I use a browser to dynamically update
 * the host's IP?", cross-checked with ddclient's and ddns-updater's readers): an `<interface-response>` XML document
 * with `<ErrCount>`, `<errors><Err1>…</Err1></errors>`, on success `<IP>` (the address set) and `<Done>true</Done>`.
 * Namecheap says nothing about "no change": every accepted update is `updated`.
 * - `Passwords do not match` — the Dynamic DNS password of the domain is wrong (auth, stops the record);
 * - `No Records updated. A record not Found;` — the host has no A record (config, stops the record);
 * - `Domain name not found` / `… not active` / `Invalid domain` — the domain is not this password's (config, stops);
 * - any other error text is quoted and retried.
 * A body without `<interface-response>` is no Namecheap answer (`undefined`): the kit sorts it by its status.
 */
export interface NamecheapWords {
  host: string;
  domain: string;
  /** The variable that chose the domain ("the last two labels" when none). */
  domainFrom: string;
}

const tag = (xml: string, name: string): string | undefined => new RegExp(`<${name}>([^<]*)</${name}>`, "i").exec(xml)?.[1]?.trim();

export function readNamecheapAnswer(reply: Reply, sent: string, w: NamecheapWords): UnitVerdict | undefined {
  const xml = reply.text;
  if (!/<interface-response\b/i.test(xml)) return undefined;
  const count = tag(xml, "ErrCount");
  const error = tag(xml, "Err1");
  const domain = quote(w.domain, 80);
  if (count === "0" && error === undefined) {
    const ip = tag(xml, "IP");
    if (ip !== undefined && ip !== "" && (parseAddress(ip)?.address ?? ip) !== sent) {
      return { ok: false, problem: { kind: "transient", reason: `Namecheap answered that it set ${quote(ip, 60)}, not ${sent}`, mayHaveArrived: true } };
    }
    if (tag(xml, "Done")?.toLowerCase() !== "true") return { ok: false, problem: { kind: "transient", reason: "Namecheap answered without <Done>true</Done>", mayHaveArrived: true } };
    return { ok: true, outcome: "updated" };
  }
  const said = `Namecheap answered ${quote(error ?? `ErrCount ${count ?? "missing"}`, 120)}`;
  if (error && /passwords? do not match|invalid password/i.test(error)) {
    return { ok: false, problem: { kind: "auth", reason: `${said}: set DDNS_PROVIDER_API_TOKEN to the Dynamic DNS password of ${domain} (Domain List → Manage → Advanced DNS → Dynamic DNS)` }, stop: "record" };
  }
  if (error && /record not found|no records updated/i.test(error)) {
    return { ok: false, problem: { kind: "config", reason: `${said}: create an A record for host ${quote(w.host, 80)} in the Advanced DNS of ${domain}, then restart ddnsd` }, stop: "record" };
  }
  if (error && /domain name not (found|active)|invalid domain|domain not found/i.test(error)) {
    return { ok: false, problem: { kind: "config", reason: `${said}: ${domain} (${w.domainFrom}) must be a domain at Namecheap with Dynamic DNS enabled; correct DDNS_NAMECHEAP_DOMAIN or DDNS_RECORDS` }, stop: "record" };
  }
  return { ok: false, problem: { kind: "transient", reason: said } };
}
