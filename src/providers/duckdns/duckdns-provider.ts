import type { DnsProvider, FailureKind, LegacyProviderDeps, RecordRequest, RecordResult, SetOptions } from "../kit/types.ts";
import { DEFAULT_USER_AGENT } from "../kit/user-agent.ts";
import { createTextGet, describeEndpoint, type TextAnswer } from "../kit/text-get.ts";
import { contradicted, describeDuckAnswer, parseDuckAnswer } from "./duckdns-answer.ts";
import { checkContent, duckDnsSubname, duckSlots, planDuckBatches, type DuckBatch, type DuckUnit } from "./duckdns-plan.ts";

/**
 * The DuckDNS provider: `GET <base>/update?domains=<sub>&token=<token>&ip=<v4>&ipv6=<v6>&verbose=true`.
 * Write-only (DuckDNS has no read API). The token travels in the query, so no message or log line is ever built
 * from the request URL: messages name `<base>/update` only, and network errors are stripped of queries and the token.
 */
export interface DuckDnsOptions {
  /** Descriptive User-Agent; see `ddnsdUserAgent` in kit/user-agent.ts. */
  userAgent?: string;
  /** Ask for the four-line verbose answer (default true), so that the addresses DuckDNS kept are checked. */
  verbose?: boolean;
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number;
}

export const DUCKDNS_DEFAULT_URL = "https://www.duckdns.org";

export function createDuckDnsProvider(deps: LegacyProviderDeps, options: DuckDnsOptions = {}): DnsProvider {
  const base = (deps.provider.apiUrl ?? DUCKDNS_DEFAULT_URL).replace(/\/+$/, "");
  const url = `${base}/update`;
  const endpoint = describeEndpoint(url);
  const token = deps.provider.token;
  const get = createTextGet({
    fetch: deps.fetch,
    userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
    timeoutMs: options.timeoutMs ?? 30_000,
    now: deps.now,
    secrets: [token],
    service: "DuckDNS",
  });
  const verbose = options.verbose ?? true;

  async function setRecords(requests: RecordRequest[], setOptions: SetOptions): Promise<RecordResult[]> {
    const results: Array<RecordResult | undefined> = requests.map(() => undefined);
    const pending: Array<{ index: number; request: RecordRequest; sub: string }> = [];
    requests.forEach((request, index) => {
      const name = duckDnsSubname(request.name);
      const problem = name.ok ? checkContent(request) : name.message;
      if (problem !== undefined || !name.ok) results[index] = { ok: false, request, kind: "config", message: problem! };
      else if (setOptions.dryRun) results[index] = { ok: true, request, outcome: "planned", previous: [] };
      else pending.push({ index, request, sub: name.sub });
    });

    for (const batch of planDuckBatches(pending)) {
      deps.log.debug("Sending a DuckDNS update", { domains: batch.query.domains, ip: batch.query.ip, ipv6: batch.query.ipv6 });
      const query = { ...batch.query, token, ...(verbose ? { verbose: "true" } : {}) };
      const answer = await get(url, query, { signal: setOptions.signal });
      for (const [index, result] of interpret(answer, batch, requests)) results[index] = result;
    }
    return results.map((r, i) => r ?? { ok: false, request: requests[i]!, kind: "transient", message: "the provider returned no result for this record", unconfirmed: true });
  }

  function interpret(answer: TextAnswer, batch: DuckBatch, requests: RecordRequest[]): Array<[number, RecordResult]> {
    const out: Array<[number, RecordResult]> = [];
    // Messages are the reason only: the engine names the records and states when it tries again.
    const fail = (unit: DuckUnit, kind: FailureKind, message: string, extra: { unconfirmed?: boolean; retryAfterMs?: number } = {}) => {
      for (const slot of duckSlots(unit)) out.push([slot.index, { ok: false, request: requests[slot.index]!, kind, message, ...extra }]);
    };
    if (!answer.ok) {
      deps.onRequest(answer.failure === "timeout" ? "timeout" : "error");
      for (const unit of batch.units) {
        if (answer.failure === "unreachable") fail(unit, "transient", `could not reach DuckDNS at ${endpoint}: ${answer.detail}`);
        else fail(unit, "transient", `DuckDNS did not answer the update (${answer.detail})`, { unconfirmed: true });
      }
      return out;
    }
    if (answer.status === 429) {
      deps.onRequest("rate-limited");
      for (const unit of batch.units) {
        fail(unit, "rate-limited", "DuckDNS asked ddnsd to slow down (HTTP 429)", answer.retryAfterMs === undefined ? {} : { retryAfterMs: answer.retryAfterMs });
      }
      return out;
    }
    const parsed = parseDuckAnswer(answer.body);
    deps.onRequest(parsed.kind === "ok" ? "ok" : "error");
    for (const unit of batch.units) {
      if (parsed.kind === "refused") {
        fail(unit, "auth", "DuckDNS refused the update: check the token and that the domain belongs to it (DDNS_PROVIDER_API_TOKEN, DDNS_RECORDS)");
      } else if (parsed.kind === "unknown") {
        fail(unit, "transient", `DuckDNS answered HTTP ${answer.status} with ${parsed.shown}, which is not a DuckDNS answer`, { unconfirmed: true });
      } else {
        const wrong = contradicted(parsed, { v4: unit.v4?.address, v6: unit.v6?.address });
        if (wrong !== undefined) {
          fail(unit, "transient", `DuckDNS answered ${describeDuckAnswer(parsed)}, which does not show ${wrong}`, { unconfirmed: true });
          continue;
        }
        const outcome = parsed.changed === false ? "unchanged" : "updated";
        for (const slot of duckSlots(unit)) out.push([slot.index, { ok: true, request: requests[slot.index]!, outcome, previous: [] }]);
      }
    }
    return out;
  }

  return { type: "duckdns", canRead: false, setRecords };
}
