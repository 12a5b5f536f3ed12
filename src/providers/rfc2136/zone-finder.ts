import type { DecodedPacket } from "dns-packet";
import type { DnsClient } from "../../dns/client.ts";
import { normalizeName } from "../../dns/wire.ts";
import { exchangeFailure, queryFailure, type Context, type Failure } from "./rfc2136-failures.ts";
import { isInZone, parentOf } from "./rfc2136-settings.ts";

export type ZoneLookup = { ok: true; zone: string } | Failure;

export interface ZoneFinder {
  /** The zone that holds `name`: the configured one, or found from the server's SOA answers (then cached). */
  find(name: string, signal: AbortSignal): Promise<ZoneLookup>;
  /** Drops a cached answer (after NOTZONE, the zone layout changed). */
  forget(name: string): void;
}

type Step = { zone: string } | { walkUp: true } | Failure;

const q = (value: string) => JSON.stringify(value);

/** Reads one SOA answer: the zone apex itself, the SOA in the authority section, a referral, or nothing useful. */
function interpret(packet: DecodedPacket, candidate: string, name: string, ctx: Context): Step {
  const apex = (packet.answers ?? []).find((rr) => rr.type === "SOA" && normalizeName(rr.name) === candidate);
  if (apex) return { zone: candidate };
  const soa = (packet.authorities ?? []).find((rr) => rr.type === "SOA" && isInZone(name, normalizeName(rr.name)));
  if (soa) return { zone: normalizeName(soa.name) };
  const referral = (packet.authorities ?? []).find((rr) => rr.type === "NS" && isInZone(name, normalizeName(rr.name)));
  if (referral) {
    return {
      ok: false,
      kind: "config",
      message: `DNS server ${q(ctx.server)} delegates ${q(normalizeName(referral.name))} to other servers, so it cannot update the name; point DDNS_RFC2136_SERVER at the primary of that zone or set DDNS_RFC2136_ZONE`,
    };
  }
  return { walkUp: true };
}

export function createZoneFinder(deps: { client: DnsClient; fixedZone?: string; ctx: Context }): ZoneFinder {
  const cache = new Map<string, string>();
  const { ctx, fixedZone } = deps;

  async function discover(name: string, signal: AbortSignal): Promise<ZoneLookup> {
    for (let candidate: string | undefined = name; candidate !== undefined; candidate = parentOf(candidate)) {
      const what = "SOA query";
      let answer;
      try {
        answer = await deps.client.query(candidate, "SOA", signal);
      } catch (error) {
        return exchangeFailure(error, what, ctx);
      }
      // REFUSED / NOTAUTH: not authoritative for this name; an ancestor may still be ours.
      if (answer.rcode === 5 || answer.rcode === 9) continue;
      const failure = queryFailure(answer.rcode, what, ctx);
      if (failure) return failure;
      const step = interpret(answer.packet, candidate, name, ctx);
      if ("zone" in step) return { ok: true, zone: step.zone };
      if (!("walkUp" in step)) return step;
    }
    return {
      ok: false,
      kind: "config",
      message: `DNS server ${q(ctx.server)} is not authoritative for any zone that holds the name; check DDNS_RFC2136_SERVER or set DDNS_RFC2136_ZONE`,
    };
  }

  return {
    async find(name, signal) {
      if (fixedZone !== undefined) {
        if (isInZone(name, fixedZone)) return { ok: true, zone: fixedZone };
        return {
          ok: false,
          kind: "config",
          message: `the name is not inside DDNS_RFC2136_ZONE ${q(fixedZone)}; fix DDNS_RECORDS or DDNS_RFC2136_ZONE`,
        };
      }
      const cached = cache.get(name);
      if (cached !== undefined) return { ok: true, zone: cached };
      const found = await discover(name, signal);
      if (found.ok) cache.set(name, found.zone);
      return found;
    },
    forget(name) {
      cache.delete(name);
    },
  };
}
