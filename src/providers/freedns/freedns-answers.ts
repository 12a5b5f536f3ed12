import { quote } from "../../core/quote.ts";
import type { Reply } from "../kit/rest-api.ts";
import type { UnitVerdict } from "../kit/update-url-provider.ts";

/**
 * How FreeDNS (freedns.afraid.org) answers a token update, read from its dynamic update pages (v2
 * `sync.afraid.org/u/<token>/`, v1 `dynamic/update.php?<token>`) and cross-checked with ddclient's and
 * ddns-updater's readers: one plain-text line —
 * - `Updated 1 host(s) home.mooo.com to 203.0.113.7 in 0.2 seconds` — the update took effect;
 * - `No IP change detected for home.mooo.com with IP 203.0.113.7, skipping update` (v2) or
 *   `ERROR: Address 203.0.113.7 has not changed.` (v1) — nothing to change;
 * - `ERROR: Unable to locate this record …` / `ERROR: Invalid update URL …` — the token is wrong (fatal: sending it
 *   again changes nothing);
 * - any other `ERROR: …` — quoted, retried with the daemon's backoff.
 * An "Updated" or "No IP change" that names other hosts only means the token is another record's (fatal); one that
 * does not show the address sent is "could not confirm". Anything else is no
 * FreeDNS answer (`undefined`): the kit sorts it by its HTTP status.
 */
const TOKEN_REFUSED = /unable to locate this record|invalid update url|invalid token/i;

export function readFreeDnsAnswer(reply: Reply, sent: { name: string; address: string }, tokenVariable: string): UnitVerdict | undefined {
  const text = reply.text.replace(/\s+/g, " ").trim();
  const shown = quote(text, 160);
  const shows = (address: string) => new RegExp(`(^|[^0-9a-f:.])${address.replace(/[.]/g, "\\.")}($|[^0-9a-f:.])`, "i").test(text);
  if (/^updated\b/i.test(text) || /^no ip change detected\b/i.test(text) || /^error: address \S+ has not changed/i.test(text)) {
    const hosts = /^updated \d+ host\(s\) (.+?) to /i.exec(text)?.[1] ?? /^no ip change detected for (.+?) with ip /i.exec(text)?.[1];
    if (hosts !== undefined && !hosts.toLowerCase().split(/[\s,[\]]+/).includes(sent.name.toLowerCase())) {
      return { ok: false, problem: { kind: "config", reason: `FreeDNS answered ${shown}: the token belongs to another record; give this record its own token in ${tokenVariable}` }, stop: "record" };
    }
    if (!shows(sent.address)) return { ok: false, problem: { kind: "transient", reason: `FreeDNS answered ${shown}, which does not show ${sent.address}`, mayHaveArrived: true } };
    return { ok: true, outcome: /^updated\b/i.test(text) ? "updated" : "unchanged" };
  }
  if (!/^error\b/i.test(text)) return undefined;
  if (TOKEN_REFUSED.test(text)) {
    return {
      ok: false,
      problem: { kind: "auth", reason: `FreeDNS refused the update token (${shown}): copy the record's token from freedns.afraid.org → Dynamic DNS into ${tokenVariable}` },
      stop: "record",
    };
  }
  return { ok: false, problem: { kind: "transient", reason: `FreeDNS answered ${shown}` } };
}
