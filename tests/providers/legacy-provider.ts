import type { DnsProvider, LegacyProviderDeps } from "../../src/providers/kit/types.ts";
import { ALL_PROVIDERS } from "../../src/providers/registry.ts";

/**
 * Builds a provider through its descriptor from the settings-in-deps shape older tests write (LegacyProviderDeps):
 * the same variables a user sets, parsed by the same descriptor, so these tests exercise the real create path.
 */
export function providerFromLegacy(deps: LegacyProviderDeps): DnsProvider {
  const p = deps.provider;
  const raw: Record<string, string | undefined> = {
    DDNS_PROVIDER_API_TOKEN: p.token,
    DDNS_PROVIDER_API_URL: p.apiUrl,
    DDNS_RFC2136_SERVER: p.rfc2136?.server,
    DDNS_RFC2136_ZONE: p.rfc2136?.zone,
    DDNS_RFC2136_TSIG_KEY_NAME: p.rfc2136?.keyName,
    DDNS_RFC2136_TSIG_ALGORITHM: p.rfc2136?.algorithm,
    DDNS_POWERDNS_SERVER_ID: p.powerdns?.serverId,
    DDNS_DYNDNS2_USERNAME: p.dyndns2?.username,
    DDNS_DYNDNS2_PRESET: p.dyndns2?.preset,
  };
  const descriptor = ALL_PROVIDERS.byId(p.type);
  if (!descriptor) throw new Error(`no provider ${p.type}`);
  const parsed = descriptor.parse(raw);
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return ALL_PROVIDERS.create({ type: p.type, settings: parsed.settings }, {
    fetch: deps.fetch,
    log: deps.log,
    now: deps.now,
    random: Math.random,
    userAgent: "ddnsd-test",
    onRequest: deps.onRequest,
    legacyDefaults: { ttl: deps.ttl, proxied: deps.proxied },
  });
}
