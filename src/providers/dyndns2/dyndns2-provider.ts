import type { DnsProvider, LegacyProviderDeps, RecordRequest, RecordResult, SetOptions } from "../kit/types.ts";
import { interpretAnswer, type Stop } from "./answers.ts";
import { dynDns2PresetOf, type DynDns2PresetName } from "./presets.ts";
import { quote } from "./return-codes.ts";
import { DEFAULT_USER_AGENT } from "../kit/user-agent.ts";
import { createTextGet, describeEndpoint, type TextAnswer } from "../kit/text-get.ts";
import { checkRequest, planBatches } from "./update-plan.ts";

/**
 * The DynDNS2 provider (Dyn's Remote Access API, spoken by No-IP, Dynu, dynv6, deSEC, OVH and many routers):
 * `GET <base>/nic/update?hostname=<names>&myip=<address>` with HTTP Basic auth. Write-only: it cannot read records.
 *
 * It follows the protocol's client rules: a fatal return code stops updates of the affected record (or of all
 * records for account codes) until the process restarts; `911`/`dnserr` pause every update for 30 minutes; an
 * address already confirmed in this process is not sent again (repeated `nochg` answers get clients blocked).
 */
export interface DynDns2Options {
  /** `DDNS_DYNDNS2_PRESET`; selects the preset's quirks. `deps.provider.apiUrl` (already resolved) wins for the URL. */
  preset?: DynDns2PresetName;
  /** Descriptive User-Agent (services block clients without one); see `ddnsdUserAgent`. */
  userAgent?: string;
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number;
}

export { DEFAULT_USER_AGENT, ddnsdUserAgent, PROJECT_URL } from "../kit/user-agent.ts";

export function basicAuthorization(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

const keyOf = (r: RecordRequest) => `${r.name}/${r.type}`;

export function createDynDns2Provider(deps: LegacyProviderDeps, options: DynDns2Options = {}): DnsProvider {
  const preset = dynDns2PresetOf(options.preset);
  const label = preset.label;
  const base = (deps.provider.apiUrl ?? preset.baseUrl).replace(/\/+$/, "");
  const url = base === "" ? "" : `${base}${preset.path}`;
  const endpoint = describeEndpoint(url);
  const username = deps.provider.dyndns2?.username ?? "";
  const authorization = basicAuthorization(username, deps.provider.token);
  const get = createTextGet({
    fetch: deps.fetch,
    userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
    timeoutMs: options.timeoutMs ?? 30_000,
    now: deps.now,
    secrets: [deps.provider.token, authorization.slice("Basic ".length)],
    service: label,
  });

  const stopped = new Map<string, Stop>();
  let stoppedAll: Stop | undefined;
  let backoffUntil = 0;
  let backoffReason = "";
  const confirmed = new Map<string, string>();

  const setupProblem =
    url === ""
      ? "DDNS_PROVIDER_API_URL is required for the dyndns2 provider without DDNS_DYNDNS2_PRESET: set the service's base URL (e.g. https://members.dyndns.org) or choose a preset."
      : username === ""
        ? `DDNS_DYNDNS2_USERNAME is required for the dyndns2 provider (${label}: ${preset.usernameHint}).`
        : undefined;

  /** The result a request gets without sending anything, or `undefined` when it must be sent. */
  function precheck(request: RecordRequest): RecordResult | undefined {
    if (setupProblem) return { ok: false, request, kind: "config", message: setupProblem };
    const invalid = checkRequest(request, preset);
    if (invalid) return { ok: false, request, kind: "config", message: invalid };
    const stop = stoppedAll ?? stopped.get(keyOf(request));
    if (stop) return { ok: false, request, kind: stop.kind, message: `not sent: ${stop.message}`, final: true };
    const now = deps.now();
    if (now < backoffUntil) {
      const message = `not sent: ${label} ${backoffReason}, so updates are paused`;
      return { ok: false, request, kind: "transient", message, retryAfterMs: backoffUntil - now };
    }
    if (confirmed.get(keyOf(request)) === request.content) {
      return { ok: true, request, outcome: "unchanged", previous: [request.content] };
    }
    return undefined;
  }

  async function setRecords(requests: RecordRequest[], setOptions: SetOptions): Promise<RecordResult[]> {
    const results: Array<RecordResult | undefined> = requests.map(() => undefined);
    const pending: Array<{ index: number; request: RecordRequest }> = [];
    requests.forEach((request, index) => {
      const early = precheck(request);
      if (early) results[index] = early;
      else pending.push({ index, request });
    });

    if (setOptions.dryRun) {
      for (const { index, request } of pending) {
        deps.log.debug(`Dry run: not sending the ${label} update`, { record: request.name, type: request.type, content: request.content });
        results[index] = { ok: true, request, outcome: "planned", previous: [] };
      }
      return results.map((r) => r!);
    }

    for (const batch of planBatches(pending, preset)) {
      // An earlier batch of this call may have stopped the account or started a backoff.
      const slots = batch.units.flatMap((u) => [u.v4, u.v6]).filter((s) => s !== undefined);
      const blocked = slots.map((s) => precheck(requests[s.index]!));
      if (blocked.some((r) => r !== undefined)) {
        slots.forEach((s, i) => (results[s.index] = blocked[i] ?? precheck(requests[s.index]!)!));
        continue;
      }
      deps.log.debug(`Sending a ${label} update`, { hostname: batch.query.hostname, myip: batch.query.myip, myipv6: batch.query.myipv6 });
      const answer = await get(url, batch.query, { signal: setOptions.signal, headers: { Authorization: authorization } });
      const outcome = interpretAnswer(answer, batch, { label, endpoint, requests });
      deps.onRequest(outcome.observed);
      for (const { index, result } of outcome.results) results[index] = result;
      for (const { index, address } of outcome.confirmed) confirmed.set(keyOf(requests[index]!), address);
      for (const { name, line } of outcome.nochg) {
        deps.log.warn(`${label} answered ${quote(line)} for ${quote(name)}: it already held the address. Repeated no-change updates can get a client blocked; ddnsd sends again only when the address changes.`);
      }
      for (const { index, stop } of outcome.stops) {
        const key = keyOf(requests[index]!);
        // The engine reports the failure (once for every record it stops); this is for tracing only.
        if (!stopped.has(key)) deps.log.debug(`Stopping ${label} updates for ${quote(requests[index]!.name)} (${requests[index]!.type}): ${stop.message}`);
        stopped.set(key, stop);
        confirmed.delete(key);
      }
      if (outcome.stopAll) stoppedAll = outcome.stopAll;
      if (outcome.backoffMs !== undefined) {
        backoffUntil = deps.now() + outcome.backoffMs;
        backoffReason = `reported a problem on its side (${quote(lineOf(answer))})`;
      }
    }
    return results.map((r, i) => r ?? { ok: false, request: requests[i]!, kind: "transient", message: "the provider returned no result for this record", unconfirmed: true });
  }

  return { type: "dyndns2", canRead: false, setRecords };
}

function lineOf(answer: TextAnswer): string {
  return answer.ok ? (answer.body.trim().split(/\r?\n/)[0] ?? "") : "";
}
