import type { DnsProvider, LegacyProviderDeps, RecordRequest, RecordResult, SetOptions } from "../kit/types.ts";
import { parseAddress } from "../../core/address-rules.ts";
import { createDnsClient, DnsExchangeError } from "../../dns/client.ts";
import { createSocketTransport, type DnsTransport } from "../../dns/transport.ts";
import { buildReplaceUpdate, randomId } from "../../dns/messages.ts";
import { normalizeName } from "../../dns/wire.ts";
import { exchangeFailure, queryFailure, updateFailure, type Context, type Failure } from "./rfc2136-failures.ts";
import { readRfc2136Settings } from "./rfc2136-settings.ts";
import { createZoneFinder } from "./zone-finder.ts";

/** TTL for records the provider creates when `DDNS_RECORD_TTL=auto` (an existing record keeps its own TTL). */
export const DEFAULT_TTL = 300;
/** Per attempt: UDP, then TCP when the answer was truncated. */
export const DEFAULT_TIMEOUT_MS = 5_000;

export interface Rfc2136ProviderDeps extends LegacyProviderDeps {
  /** Where DNS messages go; defaults to node:dgram / node:net sockets. */
  transport?: DnsTransport;
  timeoutMs?: number;
}

type Current = { ok: true; values: string[]; ttl?: number } | Failure;

const q = (value: string) => JSON.stringify(value);

/**
 * RFC 2136 DNS UPDATE signed with TSIG. For each record: find the zone (SOA walk, cached), read the current
 * RRset with a plain query to the same server, and when it differs send one atomic UPDATE that deletes the RRset
 * and adds the new address. The answer's TSIG is verified before a change is reported as made.
 * Throws ConfigError at construction for settings that can never work.
 */
export function createRfc2136Provider(deps: Rfc2136ProviderDeps): DnsProvider {
  const settings = readRfc2136Settings(deps.provider);
  const ctx: Context = { server: settings.serverLabel, key: settings.key };
  const client = createDnsClient({
    transport: deps.transport ?? createSocketTransport(),
    server: settings.server,
    timeoutMs: deps.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    now: deps.now,
    onRequest: deps.onRequest,
  });
  const zones = createZoneFinder({ client, fixedZone: settings.zone, ctx });

  async function readCurrent(request: RecordRequest, signal: AbortSignal): Promise<Current> {
    const what = `query for the ${request.type} record`;
    let answer;
    try {
      answer = await client.query(request.name, request.type, signal);
    } catch (error) {
      return exchangeFailure(error, what, ctx);
    }
    const failure = queryFailure(answer.rcode, what, ctx);
    if (failure) return failure;
    const own = (answer.packet.answers ?? []).filter((rr) => normalizeName(rr.name) === request.name);
    if (own.some((rr) => rr.type === "CNAME")) {
      return {
        ok: false,
        kind: "config",
        message: `the name is a CNAME on DNS server ${q(ctx.server)}, so it cannot also hold an ${request.type} record; remove the CNAME or manage its target instead`,
      };
    }
    const matching = own.flatMap((rr) => (rr.type === request.type && "data" in rr ? [rr] : []));
    const values = matching.map((rr) => String(rr.data)).map((v) => parseAddress(v)?.address ?? v).sort();
    const ttl = matching[0]?.ttl;
    return ttl === undefined ? { ok: true, values } : { ok: true, values, ttl };
  }

  async function setOne(request: RecordRequest, options: SetOptions): Promise<RecordResult> {
    const what = "update";
    if (options.signal.aborted) return { request, ...exchangeFailure(new DnsExchangeError("aborted", "cancelled"), what, ctx) };
    const zone = await zones.find(request.name, options.signal);
    if (!zone.ok) return { request, ...zone };
    const current = await readCurrent(request, options.signal);
    if (!current.ok) return { request, ...current };
    const previous = current.values;
    const ttl = deps.ttl === "auto" ? (current.ttl ?? DEFAULT_TTL) : deps.ttl;
    if (previous.length === 1 && previous[0] === request.content && current.ttl === ttl) {
      return { ok: true, request, outcome: "unchanged", previous };
    }
    if (options.dryRun) return { ok: true, request, outcome: "planned", previous };

    const message = buildReplaceUpdate({ zone: zone.zone, name: request.name, type: request.type, ttl, content: request.content }, randomId());
    deps.log.debug("Sending DNS UPDATE", { record: request.name, type: request.type, zone: zone.zone, ttl });
    let answer;
    try {
      answer = await client.sendSigned(message, settings.key, options.signal);
    } catch (error) {
      return { request, ...exchangeFailure(error, what, ctx, true) };
    }
    const failure = updateFailure(answer, what, zone.zone, ctx);
    if (failure) {
      if (answer.rcode === 10) zones.forget(request.name);
      return { request, ...failure };
    }
    return { ok: true, request, outcome: previous.length === 0 ? "created" : "updated", previous };
  }

  return {
    type: "rfc2136",
    canRead: true,
    async setRecords(requests, options) {
      const results: RecordResult[] = [];
      for (const request of requests) results.push(await setOne(request, options));
      return results;
    },
  };
}
