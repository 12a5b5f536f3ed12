import type { Family } from "../../core/family.ts";
import type { Detection, IpSource } from "../types.ts";

/**
 * `DDNS_IP_SOURCE_TYPE=static`: the addresses of DDNS_IP_STATIC_V4 / DDNS_IP_STATIC_V6, already validated by the
 * configuration (the publishing rules). They never change while the daemon runs: a new address means a restart, so
 * the source has no `watch`. A family without an address fails its detection with a line that says what to set.
 */
export interface StaticSourceSettings {
  addresses: Partial<Record<Family, string>>;
}

export function createStaticSource(settings: StaticSourceSettings): IpSource {
  const addresses = { ...settings.addresses };
  return {
    type: "static",
    detect: async (family): Promise<Detection> => {
      const address = addresses[family];
      if (address !== undefined) return { ok: true, family, address, source: "static" };
      return { ok: false, family, error: `DDNS_IP_STATIC_V${family} is not set (DDNS_IP_SOURCE_TYPE=static)` };
    },
  };
}
