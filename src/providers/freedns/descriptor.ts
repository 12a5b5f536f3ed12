import { quote } from "../../core/quote.ts";
import { defineProvider } from "../kit/descriptor.ts";
import { secret, url } from "../kit/fields.ts";
import { createRestApi } from "../kit/rest-api.ts";
import type { DnsProvider, ProviderDeps } from "../kit/types.ts";
import { createUpdateUrlProvider, verdictsOutcome } from "../kit/update-url-provider.ts";
import { readFreeDnsAnswer } from "./freedns-answers.ts";
import { allTokens, parseTokens, tokenFor, type TokenMap } from "./freedns-tokens.ts";

/**
 * FreeDNS (freedns.afraid.org), dynamic update v2: `GET <base>/u/<token>/?address=<ip>`, on the kit's update-URL
 * template. The URL names no host: the token decides which record changes (freedns-tokens.ts), so each record is
 * one call. The token is part of the path: the kit's client redacts it from every text it hands back, and
 * messages show the endpoint as `<base>/u/[REDACTED]/`.
 */
export const FREEDNS_DEFAULT_URL = "https://sync.afraid.org";
const A_TOKEN = "DDNS_PROVIDER_API_TOKEN";
const AAAA_TOKEN = "DDNS_FREEDNS_AAAA_TOKEN";

const mapOf = (variable: string, raw: string | undefined): TokenMap | undefined => {
  const parsed = raw === undefined ? undefined : parseTokens(variable, raw);
  return parsed?.ok ? parsed.map : undefined;
};

function createFreeDnsProvider(s: { token: string; aaaaToken: string | undefined; apiUrl: string }, deps: ProviderDeps): DnsProvider {
  const maps = { A: mapOf(A_TOKEN, s.token), AAAA: mapOf(AAAA_TOKEN, s.aaaaToken) };
  const api = createRestApi(deps, { service: "FreeDNS", baseUrl: s.apiUrl, secrets: [...allTokens(maps.A), ...allTokens(maps.AAAA)], timeoutMs: 30_000, answerName: "a FreeDNS answer" });
  return createUpdateUrlProvider(
    {
      service: "FreeDNS",
      shape: { together: false, maxPerCall: 1 },
      check(request) {
        if (tokenFor(maps[request.type], request) !== undefined) return undefined;
        const variable = request.type === "A" ? A_TOKEN : AAAA_TOKEN;
        const hint = request.type === "AAAA" ? ", or leave IPv6 out (DDNS_IP_VERSIONS=4)" : "";
        return `FreeDNS updates each record with its own token, and ${variable} has none for this ${request.type} record: add ${quote(`${request.name}=<token>`, 120)} to ${variable}${hint}`;
      },
      async send(call, signal) {
        const unit = call.units[0]!;
        const slot = (unit.v4 ?? unit.v6)!;
        const variable = slot.request.type === "A" ? A_TOKEN : AAAA_TOKEN;
        const token = tokenFor(maps[slot.request.type], slot.request) ?? "";
        const answer = await api.reply("GET", `/u/${token}/`, { query: { address: slot.address }, write: true, signal }, (reply) => {
          const verdict = readFreeDnsAnswer(reply, { name: unit.name, address: slot.address }, variable);
          return verdict && [verdict];
        }, verdictsOutcome);
        return answer.ok ? { ok: true, verdicts: answer.value } : answer;
      },
    },
    { id: "freedns", now: deps.now, log: deps.log },
  );
}

export const freedns = defineProvider({
  id: "freedns",
  name: "FreeDNS (afraid.org)",
  capabilities: { read: false, comments: false, proxied: false },
  ttl: undefined,
  fields: {
    token: secret(A_TOKEN, "the A records' update token(s): one token, or <name>=<token>,… (Dynamic DNS → the v2 update URL, after /u/)"),
    aaaaToken: secret(AAAA_TOKEN, "the AAAA records' update token(s), written like DDNS_PROVIDER_API_TOKEN (needed only for IPv6)").optional(),
    apiUrl: url("DDNS_PROVIDER_API_URL", "the dynamic update v2 base URL").default(FREEDNS_DEFAULT_URL),
  },
  refine(s) {
    for (const [variable, raw] of [[A_TOKEN, s.token], [AAAA_TOKEN, s.aaaaToken]] as const) {
      const parsed = raw === undefined ? undefined : parseTokens(variable, raw);
      if (parsed && !parsed.ok) return { variable, reason: parsed.reason };
    }
    return undefined;
  },
  create: createFreeDnsProvider,
});
