import type { Reply } from "./rest-api.ts";
import { createRestApi } from "./rest-api.ts";
import type { DnsProvider, ProviderDeps } from "./types.ts";
import type { UpdateCall } from "./update-calls.ts";
import { createUpdateUrlProvider, verdictsOutcome, type UnitVerdict } from "./update-url-provider.ts";

/**
 * A service whose whole API is one update URL with the secret in it (ddnss, GoIP, DD24, ZoneEdit, myaddr…), on
 * the update-URL template: what a provider gives is its parameters and how one answer reads. Requests name one
 * host each (one call, one verdict); an answer `read` does not recognise is no confirmation (the kit sorts it by
 * its HTTP status: a 2xx is "could not confirm", never success).
 */
export interface TokenUrlService {
  id: string;
  /** How messages name the service. */
  service: string;
  baseUrl: string;
  path: string;
  /** POST sends the parameters as a form body (myaddr); GET in the query. */
  method?: "GET" | "POST";
  /** A and AAAA of one name in one request (`true`), or one family per request. */
  together: boolean;
  /** `false`: the service sets A records only, an AAAA record is a configuration error (with this advice). */
  ipv6: boolean;
  headers?: Record<string, string>;
  /** Every secret the requests carry (redacted from everything the kit hands back). */
  secrets: string[];
  /** "… which is not <answerName>". */
  answerName: string;
  params(call: UpdateCall): Record<string, string>;
  /** The verdict of one answer, or undefined when it is no answer of the service. */
  read(reply: Reply, call: UpdateCall): UnitVerdict | undefined;
}

export function createTokenUrlProvider(s: TokenUrlService, deps: ProviderDeps): DnsProvider {
  const api = createRestApi(deps, { service: s.service, baseUrl: s.baseUrl, headers: s.headers ?? {}, secrets: s.secrets, timeoutMs: 30_000, answerName: s.answerName });
  return createUpdateUrlProvider(
    {
      service: s.service,
      shape: { together: s.together, maxPerCall: 1 },
      check(request) {
        if (request.name.startsWith("*.")) return `${s.service} cannot update wildcard names; remove it from DDNS_RECORDS`;
        if (request.type === "AAAA" && !s.ipv6) return `${s.service} updates IPv4 addresses only, so AAAA records cannot be managed: set DDNS_IP_VERSIONS=4`;
        return undefined;
      },
      async send(call, signal) {
        const params = s.params(call);
        const init = s.method === "POST" ? { body: new URLSearchParams(params), write: true, signal } : { query: params, write: true, signal };
        const read = (reply: Reply) => {
          const verdict = s.read(reply, call);
          return verdict === undefined ? undefined : call.units.map(() => verdict);
        };
        const answer = await api.reply(s.method ?? "GET", s.path, init, read, verdictsOutcome);
        return answer.ok ? { ok: true, verdicts: answer.value } : answer;
      },
    },
    { id: s.id, now: deps.now, log: deps.log },
  );
}
