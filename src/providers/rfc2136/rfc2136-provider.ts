import type { DecodedPacket } from "dns-packet";
import { createDnsClient, type DnsClient } from "../../dns/client.ts";
import { buildConditionalUpdate, buildReplaceSetsUpdate, randomId } from "../../dns/messages.ts";
import { createSocketTransport } from "../../dns/transport.ts";
import { normalizeName } from "../../dns/wire.ts";
import { fail, ok, type Answer } from "../kit/answer.ts";
import { createRrsetProvider, type RrsetApi } from "../kit/rrset-provider.ts";
import type { DnsProvider, ProviderDeps } from "../kit/types.ts";
import { createZoneFinder, isInZone, type Zone } from "../kit/zone-finder.ts";
import { exchangeProblem, queryProblem, updateProblem, type Context } from "./rfc2136-failures.ts";
import { connectionOf, type Rfc2136Settings } from "./rfc2136-settings.ts";

/**
 * RFC 2136 DNS UPDATE signed with TSIG, on the kit's set-replacing template: the zone from the server's SOA answers
 * (or DDNS_RFC2136_ZONE), the set read with a plain query to the same server, and one atomic signed UPDATE per zone
 * that deletes each RRset and adds its address. The answer's TSIG is verified before a change counts as made.
 */
const q = (value: string) => JSON.stringify(value);
/** An answer's RDATA as text: an address, or a TXT record's character-strings joined (dns-packet gives them as bytes). */
const textOf = (data: unknown): string => (Array.isArray(data) ? data.map((part) => new TextDecoder().decode(part as Uint8Array)).join("") : String(data));

/** One candidate's SOA answer: the zone (the apex, or the SOA in the authority section), not a zone, or a referral. */
async function soaLookup(client: DnsClient, ctx: Context, candidate: string, signal: AbortSignal): Promise<Answer<Zone | undefined>> {
  let packet: DecodedPacket;
  try {
    const answer = await client.query(candidate, "SOA", signal);
    // REFUSED / NOTAUTH: not authoritative for this name; an ancestor may still be ours.
    if (answer.rcode === 5 || answer.rcode === 9) return ok(undefined);
    const problem = queryProblem(answer.rcode, "SOA query", ctx);
    if (problem) return fail(problem);
    packet = answer.packet;
  } catch (error) {
    return fail(exchangeProblem(error, "SOA query", ctx));
  }
  if ((packet.answers ?? []).some((rr) => rr.type === "SOA" && normalizeName(rr.name) === candidate)) return ok({ name: candidate });
  const soa = (packet.authorities ?? []).find((rr) => rr.type === "SOA" && isInZone(candidate, normalizeName(rr.name)));
  if (soa) return ok({ name: normalizeName(soa.name) });
  const referral = (packet.authorities ?? []).find((rr) => rr.type === "NS" && isInZone(candidate, normalizeName(rr.name)));
  if (!referral) return ok(undefined);
  return fail({
    kind: "config",
    reason: `DNS server ${q(ctx.server)} delegates ${q(normalizeName(referral.name))} to other servers, so it cannot update the name; point DDNS_RFC2136_SERVER at the primary of that zone or set DDNS_RFC2136_ZONE`,
  });
}

export function createRfc2136Provider(s: Rfc2136Settings, deps: ProviderDeps): DnsProvider {
  const { server, serverLabel, key } = connectionOf(s);
  const ctx: Context = { server: serverLabel, key, fixedZone: s.zone !== undefined };
  const client = createDnsClient({
    transport: deps.dnsTransport ?? createSocketTransport(),
    server,
    timeoutMs: deps.timeoutMs ?? 5_000,
    now: deps.now,
    onRequest: deps.onRequest,
  });

  const api: RrsetApi<Zone> = {
    service: "RFC 2136",
    zoneFix: s.zone === undefined
      ? `DNS server ${q(serverLabel)} is not authoritative for any zone that holds the name; check DDNS_RFC2136_SERVER or set DDNS_RFC2136_ZONE`
      : `the name is not inside DDNS_RFC2136_ZONE ${q(s.zone)}; fix DDNS_RECORDS or DDNS_RFC2136_ZONE`,
    defaultTtl: 300,
    maxPerWrite: 20,
    deletesSets: true,
    zones: createZoneFinder<Zone>({
      now: deps.now,
      ...(s.zone === undefined ? { lookup: (candidate, signal) => soaLookup(client, ctx, candidate, signal) } : { fixed: { name: s.zone } }),
    }),
    async read(_zone, name, type, signal) {
      const what = `query for the ${type} record`;
      let answer;
      try {
        answer = await client.query(name, type, signal);
      } catch (error) {
        return fail(exchangeProblem(error, what, ctx));
      }
      const problem = queryProblem(answer.rcode, what, ctx);
      if (problem) return fail(problem);
      const own = (answer.packet.answers ?? []).filter((rr) => normalizeName(rr.name) === name);
      if (own.some((rr) => rr.type === "CNAME")) {
        return fail({ kind: "config", reason: `the name is a CNAME on DNS server ${q(ctx.server)}, so it cannot also hold an ${type} record; remove the CNAME or manage its target instead` });
      }
      const held = own.flatMap((rr) => (rr.type === type && "data" in rr ? [rr] : []));
      return ok(held.length === 0 ? undefined : { values: held.map((rr) => textOf(rr.data)), ...(held[0]!.ttl === undefined ? {} : { ttl: held[0]!.ttl }) });
    },
    async write(zone, changes, signal) {
      // A change with no values deletes the set (DDNS_DELETE_ON_STOP), only if every set of the write still holds what
      // was read: the set and the owner TXT set rewritten beside it (DDNS_OWNER_ID) are both prerequisites.
      const deleting = changes.some((c) => c.values.length === 0);
      const expect = changes.flatMap((c) => (c.previous ? [{ ...c, values: c.previous.values }] : []));
      const message = deleting ? buildConditionalUpdate(zone.name, expect, changes, randomId()) : buildReplaceSetsUpdate(zone.name, changes, randomId());
      let answer;
      try {
        answer = await client.sendSigned(message, key, signal);
      } catch (error) {
        return fail(exchangeProblem(error, "update", ctx, true));
      }
      if (deleting && answer.tsig.status === "verified" && answer.tsig.error === 0 && answer.rcode === 8) {
        return fail({ kind: "config", reason: `DNS server ${q(ctx.server)} answered NXRRSET: the set no longer holds what ddnsd read`, tag: "conflict" });
      }
      const problem = updateProblem(answer, "update", zone.name, ctx);
      return problem ? fail(problem) : ok(undefined);
    },
  };
  return createRrsetProvider(api, { id: "rfc2136", log: deps.log });
}
