import { quote } from "../../core/quote.ts";
import type { Problem } from "./answer.ts";
import { ownerName, ownerText, parseOwnerText } from "./owner-registry.ts";
import type { RecordRequest } from "./types.ts";

/**
 * DDNS_OWNER_ID on the set-replacing template (RFC 2136, PowerDNS, deSEC…): the set is the unit, as with comments.
 * A set of (name, type) is this daemon's when the owner TXT set at `_ddnsd-a.<name>` holds
 * `heritage=ddnsd,owner=<id>`; one that exists without it is never written (the API cannot add a record beside it
 * without replacing it), and a set another owner's TXT claims is never written either, even when the name holds no
 * set any more. A name with neither gets its set and its owner TXT together — in one write where the API writes
 * several sets at once (RFC 2136 UPDATE and PowerDNS PATCH are atomic), otherwise the TXT first, so that there is
 * never a set ddnsd wrote without its TXT. With DDNS_OWNER_ADOPT a set no owner TXT of anyone claims is adopted: its
 * TXT is written (and the set, when its values differ). Pure.
 */
export type SetVerdict =
  | { ok: true; /** The TXT set to write (its values as read, plus this owner's text), when it must be written. */ txt?: string[]; adopted: boolean }
  | { ok: false; problem: Problem };

const q = (text: string) => JSON.stringify(text);

/**
 * What the registry says about (name, type): `values` is what the name holds of the type (empty: no set), `txts`
 * the texts of the owner TXT set as the service returns them.
 */
export function setVerdict(service: string, request: RecordRequest, values: readonly string[], txts: readonly string[], encode: (text: string) => string): SetVerdict {
  const owner = request.ownerId!;
  const at = ownerName(request.name, request.type);
  const claims = txts.flatMap((t) => parseOwnerText(t)?.owner ?? []);
  const others = [...new Set(claims.filter((c) => c !== owner))];
  if (others.length > 0) {
    return {
      ok: false,
      problem: {
        kind: "config",
        reason: `the record set is another daemon's: an owner TXT record of another owner (${others.map((o) => quote(o, 64)).join(", ")}) at ${q(at)} claims it, and ${service} replaces a whole set at once, so ddnsd leaves it exactly as it is; give each daemon its own name, or delete that TXT record to hand the set over`,
      },
    };
  }
  if (claims.includes(owner)) return { ok: true, adopted: false };
  const txt = [...txts, encode(ownerText(owner))];
  if (values.length === 0) return { ok: true, txt, adopted: false };
  if (request.ownerAdopt) return { ok: true, txt, adopted: true };
  return {
    ok: false,
    problem: {
      kind: "config",
      reason: `the record set is not ddnsd's: no owner TXT record of DDNS_OWNER_ID ${q(owner)} at ${q(at)} claims it, and ${service} replaces a whole set at once, so ddnsd leaves it exactly as it is; add the TXT record ${q(ownerText(owner))} there to hand it over (or set DDNS_OWNER_ADOPT=true), or delete it`,
    },
  };
}

/**
 * DDNS_DELETE_ON_STOP with DDNS_OWNER_ID: whether the set is this owner's to delete (`kept` says why not), and the
 * texts the owner TXT set keeps once this owner's claim is removed (`left`; empty: delete the TXT set). Another
 * owner's claim keeps everything as it is, this owner's included. Pure.
 */
export type OwnerOnStop = { kept: string; left?: undefined } | { kept?: undefined; left: string[] };

export function ownerOnStop(request: RecordRequest, txts: readonly string[]): OwnerOnStop {
  const owner = request.ownerId!;
  const at = ownerName(request.name, request.type);
  const claims = txts.map((t) => parseOwnerText(t)?.owner);
  const others = [...new Set(claims.filter((c): c is string => c !== undefined && c !== owner))];
  if (others.length > 0) return { kept: `the set is another daemon's: an owner TXT record of another owner (${others.map((o) => quote(o, 64)).join(", ")}) at ${q(at)} claims it` };
  if (!claims.includes(owner)) return { kept: `the set is not this daemon's: no owner TXT record of DDNS_OWNER_ID ${q(owner)} at ${q(at)} claims it` };
  return { left: txts.filter((_, i) => claims[i] !== owner) };
}
