import { parseAddress } from "../../core/address-rules.ts";
import { quote } from "../../core/quote.ts";
import type { Reply } from "../kit/rest-api.ts";
import type { UpdateCall } from "../kit/update-calls.ts";
import type { UnitVerdict } from "../kit/update-url-provider.ts";

/**
 * What is particular to DuckDNS (www.duckdns.org/spec.jsp): the names it takes, and how its answers read.
 *
 * Names: `<sub>.duckdns.org`, updated by its subname. Every name below a subdomain answers with the subdomain's
 * address, so such names (and wildcards) cannot be updated on their own.
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

/**
 * DuckDNS answers: `OK` or `KO`, for the whole request; with `verbose=true` an OK is four lines —
 * `OK`, the IPv4 address (may be blank), the IPv6 address (may be blank), `UPDATED` or `NOCHANGE` — and ddnsd
 * checks that DuckDNS kept the addresses it sent. Anything that does not start with `OK`/`KO` (an HTML error page,
 * a proxy) is no answer: `undefined`, and the kit sorts it by its HTTP status.
 */
export function readDuckAnswer(reply: Reply, call: UpdateCall): UnitVerdict[] | undefined {
  const lines = reply.text.replace(/\r/g, "").replace(/\n+$/, "").split("\n").map((l) => l.trim());
  const head = lines[0] ?? "";
  const all = (verdict: UnitVerdict) => call.units.map(() => verdict);
  if (head === "KO" && lines.every((l, i) => i === 0 || l === "")) {
    return all({ ok: false, problem: { kind: "auth", reason: "DuckDNS refused the update: check the token and that the domain belongs to it (DDNS_PROVIDER_API_TOKEN, DDNS_RECORDS)" } });
  }
  if (head !== "OK") return undefined;
  if (lines.length === 1) return all({ ok: true, outcome: "updated" });
  const [, ipv4 = "", ipv6 = "", status = ""] = lines;
  const shown = quote(lines.join(" ").replace(/\s+/g, " ").trim(), 80);
  if (lines.length > 4 || (status !== "UPDATED" && status !== "NOCHANGE")) {
    return all({ ok: false, problem: { kind: "transient", reason: `DuckDNS answered HTTP ${reply.status} with ${shown}, which is not a DuckDNS answer`, mayHaveArrived: true } });
  }
  const kept = (held: string, sent: string | undefined) => sent === undefined || (parseAddress(held)?.address ?? held) === sent;
  const wrong = [call.v4, call.v6].find((sent, i) => sent !== undefined && !kept(i === 0 ? ipv4 : ipv6, sent));
  if (wrong !== undefined) {
    return all({ ok: false, problem: { kind: "transient", reason: `DuckDNS answered ${shown}, which does not show ${wrong}`, mayHaveArrived: true } });
  }
  return all({ ok: true, outcome: status === "UPDATED" ? "updated" : "unchanged" });
}
