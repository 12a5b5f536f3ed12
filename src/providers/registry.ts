import type { DnsProvider, ProviderDeps } from "./kit/types.ts";
import { createCloudflareProvider } from "./cloudflare/provider.ts";
import { createRfc2136Provider } from "./rfc2136/rfc2136-provider.ts";
import { createPowerDnsProvider } from "./powerdns/powerdns-provider.ts";
import { createDynDns2Provider } from "./dyndns2/dyndns2-provider.ts";
import { ddnsdUserAgent } from "./kit/user-agent.ts";
import { createDuckDnsProvider } from "./duckdns/duckdns-provider.ts";
import { VERSION } from "../core/version.ts";

/**
 * Picks the provider for `DDNS_PROVIDER_TYPE`. A factory may throw a ConfigError for a setting that can never work
 * (e.g. an unknown TSIG algorithm); main.ts calls this before any async work, so that is an exit-1 config error.
 */
export function createProvider(deps: ProviderDeps): DnsProvider {
  const userAgent = ddnsdUserAgent(VERSION);
  switch (deps.provider.type) {
    case "cloudflare":
      return createCloudflareProvider(deps, { userAgent });
    case "rfc2136":
      return createRfc2136Provider(deps);
    case "powerdns":
      return createPowerDnsProvider({ ...deps, userAgent });
    case "dyndns2":
      return createDynDns2Provider(deps, { userAgent, ...(deps.provider.dyndns2?.preset ? { preset: deps.provider.dyndns2.preset } : {}) });
    case "duckdns":
      return createDuckDnsProvider(deps, { userAgent });
  }
}
