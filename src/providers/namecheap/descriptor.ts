import { quote } from "../../core/quote.ts";
import { defineProvider } from "../kit/descriptor.ts";
import { dnsName, secret, url } from "../kit/fields.ts";
import { createRestApi } from "../kit/rest-api.ts";
import type { DnsProvider, ProviderDeps, RecordRequest } from "../kit/types.ts";
import { createUpdateUrlProvider, verdictsOutcome } from "../kit/update-url-provider.ts";
import { readNamecheapAnswer } from "./namecheap-answers.ts";

/**
 * Namecheap dynamic DNS: `GET <base>/update?host=<host>&domain=<domain>&password=<password>&ip=<ip>`, on the kit's
 * update-URL template, one record per call. **IPv4 only**: the interface sets A records; an AAAA record is a
 * configuration error. The password is the domain's Dynamic DNS password (DDNS_PROVIDER_API_TOKEN); the domain is
 * DDNS_NAMECHEAP_DOMAIN, or the last two labels of each name. The password travels in the query: the kit's client
 * redacts it from everything it hands back, and messages show the endpoint without its query.
 */
export const NAMECHEAP_DEFAULT_URL = "https://dynamicdns.park-your-domain.com";
export const NAMECHEAP_IPV4_ONLY = "Namecheap's dynamic DNS updates only A records (IPv4): manage IPv4 only for this target (DDNS_IP_VERSIONS=4, or {ip_versions=4} on the record)";

function split(request: RecordRequest, domain: string | undefined): { host: string; domain: string } | undefined {
  const name = request.name.toLowerCase();
  const zone = domain ?? name.split(".").slice(-2).join(".");
  if (name === zone) return { host: "@", domain: zone };
  return name.endsWith(`.${zone}`) ? { host: name.slice(0, -zone.length - 1), domain: zone } : undefined;
}

function createNamecheapProvider(s: { token: string; domain: string | undefined; apiUrl: string }, deps: ProviderDeps): DnsProvider {
  const api = createRestApi(deps, { service: "Namecheap", baseUrl: s.apiUrl, secrets: [s.token], timeoutMs: 30_000, answerName: "a Namecheap answer" });
  const domainFrom = s.domain ? "DDNS_NAMECHEAP_DOMAIN" : "the name's last two labels";
  return createUpdateUrlProvider(
    {
      service: "Namecheap",
      shape: { together: false, maxPerCall: 1 },
      check(request) {
        if (request.type === "AAAA") return NAMECHEAP_IPV4_ONLY;
        if (split(request, s.domain)) return undefined;
        return `the name is not in ${quote(s.domain ?? "", 80)} (DDNS_NAMECHEAP_DOMAIN): list names of that domain in DDNS_RECORDS, or give the other domain its own target`;
      },
      async send(call, signal) {
        const slot = call.units[0]!.v4!;
        const parts = split(slot.request, s.domain)!;
        const query = { host: parts.host, domain: parts.domain, password: s.token, ip: slot.address };
        const answer = await api.reply("GET", "/update", { query, write: true, signal }, (reply) => {
          const verdict = readNamecheapAnswer(reply, slot.address, { ...parts, domainFrom });
          return verdict && [verdict];
        }, verdictsOutcome);
        return answer.ok ? { ok: true, verdicts: answer.value } : answer;
      },
    },
    { id: "namecheap", now: deps.now, log: deps.log },
  );
}

export const namecheap = defineProvider({
  id: "namecheap",
  name: "Namecheap dynamic DNS (IPv4 only)",
  capabilities: { read: false, comments: false, proxied: false },
  ttl: undefined,
  fields: {
    token: secret("DDNS_PROVIDER_API_TOKEN", "the domain's Dynamic DNS password (Advanced DNS → Dynamic DNS), not the account password"),
    domain: dnsName("DDNS_NAMECHEAP_DOMAIN", "the domain registered at Namecheap (default: the last two labels of each name)").optional(),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the dynamic DNS service's base URL").default(NAMECHEAP_DEFAULT_URL),
  },
  create: createNamecheapProvider,
});
