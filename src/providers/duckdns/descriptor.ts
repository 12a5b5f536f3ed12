import { defineProvider } from "../kit/descriptor.ts";
import { secret, url } from "../kit/fields.ts";
import { createRestApi } from "../kit/rest-api.ts";
import type { DnsProvider, ProviderDeps } from "../kit/types.ts";
import { createUpdateUrlProvider, verdictsOutcome } from "../kit/update-url-provider.ts";
import { DUCKDNS_SUFFIX, duckDnsSubname, readDuckAnswer } from "./duckdns-protocol.ts";
import { createDuckDnsClear } from "./duckdns-clear.ts";

/**
 * DuckDNS: `GET <base>/update?domains=<subs>&token=<token>&ip=<v4>&ipv6=<v6>&verbose=true`, on the kit's
 * update-URL template. `ip` sets A and `ipv6` sets AAAA in the same request, and `domains=a,b` shares them, so the
 * A and AAAA of one name travel together and names with the same addresses share a request. An AAAA-only update
 * sends `ipv6` alone: DuckDNS then detects no IPv4 address ("if you do not specify the IP address, then it will be
 * detected" — unless `ipv6` is given) and A stays as it is. The token travels in the query: the kit's client
 * redacts it from everything it hands back, and messages show the endpoint without its query.
 */
export const DUCKDNS_DEFAULT_URL = "https://www.duckdns.org";
/** Keep URLs short; DuckDNS accounts hold few subdomains anyway. */
const MAX_DOMAINS = 20;

function createDuckDnsProvider(s: { token: string; apiUrl: string }, deps: ProviderDeps): DnsProvider {
  const api = createRestApi(deps, { service: "DuckDNS", baseUrl: s.apiUrl, secrets: [s.token], timeoutMs: 30_000, answerName: "a DuckDNS answer" });
  return createUpdateUrlProvider(
    {
      service: "DuckDNS",
      shape: { together: true, maxPerCall: MAX_DOMAINS },
      check: (request) => {
        const name = duckDnsSubname(request.name);
        return name.ok ? undefined : name.message;
      },
      async send(call, signal) {
        const domains = call.units.map((u) => u.name.slice(0, -DUCKDNS_SUFFIX.length)).join(",");
        const query = { domains, ...(call.v4 ? { ip: call.v4 } : {}), ...(call.v6 ? { ipv6: call.v6 } : {}), token: s.token, verbose: "true" };
        const answer = await api.reply("GET", "/update", { query, write: true, signal }, (reply) => readDuckAnswer(reply, call), verdictsOutcome);
        return answer.ok ? { ok: true, verdicts: answer.value } : answer;
      },
      clear: createDuckDnsClear({ api, token: s.token, maxPerCall: MAX_DOMAINS }),
    },
    { id: "duckdns", now: deps.now, log: deps.log },
  );
}

export const duckdns = defineProvider({
  id: "duckdns",
  name: "DuckDNS",
  // DDNS_DELETE_ON_STOP clears a name (clear=true, duckdns-clear.ts).
  capabilities: { read: false, comments: false, proxied: false, delete: true },
  ttl: undefined,
  fields: {
    token: secret("DDNS_PROVIDER_API_TOKEN", "the account's token (duckdns.org, top of the page)"),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the update service's base URL").default(DUCKDNS_DEFAULT_URL),
  },
  create: createDuckDnsProvider,
});
