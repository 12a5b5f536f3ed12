import { displayUrl } from "../../net/display-url.ts";
import { createRestApi } from "../kit/rest-api.ts";
import type { DnsProvider, ProviderDeps, RecordRequest } from "../kit/types.ts";
import type { UpdateCall } from "../kit/update-calls.ts";
import { createUpdateUrlProvider, verdictsOutcome } from "../kit/update-url-provider.ts";
import { readDynDns2Answer, type AnswerWords } from "./read-answer.ts";
import type { DynDns2Service } from "./services.ts";

/**
 * The DynDNS2 protocol (Dyn's Remote Access API, spoken by No-IP, Dynu, dynv6, deSEC, OVH and many routers):
 * `GET <base>/nic/update?hostname=<names>&myip=<address>` with HTTP Basic auth, on the kit's update-URL template
 * (confirmed addresses not resent, fatal codes stop, `911`/`dnserr` pause everything). What is particular here:
 * the query a service takes (its quirks in services.ts) and the return codes (return-codes.ts, read-answer.ts).
 */
export interface DynDns2Settings {
  token: string;
  username: string;
  /** The base URL; the service's default when unset. */
  apiUrl?: string | undefined;
}

export function basicAuthorization(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

/** Why a request cannot be sent to this service (a `config` failure), or `undefined`. */
function checkRequest(request: RecordRequest, service: DynDns2Service): string | undefined {
  if (request.name.startsWith("*.")) {
    return `${service.label} cannot update wildcard names: DynDNS2 updates named hosts only; remove it from DDNS_RECORDS`;
  }
  if (request.type === "AAAA" && service.ipv6Param === null) {
    return `${service.label} updates IPv4 addresses only, so AAAA records cannot be managed: set DDNS_IP_VERSIONS=4`;
  }
  return undefined;
}

/** The query of one call: the hostnames, the service's fixed parameters, and the addresses as it takes them. */
export function updateQuery(call: UpdateCall, service: DynDns2Service): Record<string, string> {
  const query: Record<string, string> = { hostname: call.units.map((u) => u.name).join(","), ...service.extraQuery };
  if (service.ipv6Param !== "myipv6") {
    query.myip = call.v4 ?? call.v6 ?? "";
    return query;
  }
  const myip = call.v4 ?? service.keepValue;
  const myipv6 = call.v6 ?? service.keepValue;
  if (myip !== undefined) query.myip = myip;
  if (myipv6 !== undefined) query.myipv6 = myipv6;
  return query;
}

export function createDynDns2Provider(id: string, service: DynDns2Service, settings: DynDns2Settings, deps: ProviderDeps): DnsProvider {
  const base = (settings.apiUrl ?? service.baseUrl).replace(/\/+$/, "");
  const endpoint = displayUrl(`${base}${service.path}`);
  const authorization = basicAuthorization(settings.username, settings.token);
  const label = service.label;
  const own = id !== "dyndns2";
  const words: AnswerWords = {
    label,
    usernameVariable: own ? `DDNS_${id.toUpperCase()}_USERNAME` : "DDNS_DYNDNS2_USERNAME",
    serviceVariable: own ? "DDNS_PROVIDER_TYPE" : "DDNS_DYNDNS2_PRESET",
  };
  const api = createRestApi(deps, {
    service: label,
    baseUrl: base,
    headers: { Authorization: authorization },
    secrets: [settings.token, authorization.slice("Basic ".length)],
    timeoutMs: 30_000,
    answerName: "a DynDNS2 answer",
    explain: (f) =>
      f.reason === "http" && f.status === 404
        ? { kind: "config", reason: `${label} answered HTTP 404: the hostname does not exist there, or DDNS_PROVIDER_API_URL (${endpoint}) is wrong` }
        : undefined,
  });
  return createUpdateUrlProvider(
    {
      service: label,
      shape: { together: service.ipv6Param === "myipv6", maxPerCall: service.maxHosts },
      check: (request) => checkRequest(request, service),
      async send(call, signal) {
        const query = updateQuery(call, service);
        const answer = await api.reply("GET", service.path, { query, write: true, signal }, (reply) => readDynDns2Answer(reply, call, words), verdictsOutcome);
        return answer.ok ? { ok: true, verdicts: answer.value } : answer;
      },
    },
    { id, now: deps.now, log: deps.log },
  );
}
