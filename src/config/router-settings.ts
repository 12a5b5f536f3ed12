import { ConfigError } from "../core/errors.ts";
import { parseAddress } from "../core/address-rules.ts";
import type { Family } from "../core/family.ts";
import { quote } from "../core/quote.ts";
import { ROUTER_PROTOCOLS, type RouterProtocol } from "../ip/router/router-types.ts";
import type { SourceTypes } from "./source-types.ts";
import type { RouterSettings } from "./types.ts";

/**
 * `DDNS_IP_SOURCE_TYPE=router` (docs/router.md): DDNS_IP_SOURCE_ROUTER_ADDRESS (the router's IPv4 address; default:
 * the default gateway, found at detection time) and DDNS_IP_SOURCE_ROUTER_PROTOCOLS (the order tried, default
 * `pcp,natpmp,igd`). The router gives only IPv4: IPv6 records with the router for IPv6 is one configuration error that
 * names DDNS_IP_SOURCE_TYPE_V6 and what to set. Router settings without the router source are ignored with a warning.
 */
const ADDRESS = "DDNS_IP_SOURCE_ROUTER_ADDRESS";
const PROTOCOLS = "DDNS_IP_SOURCE_ROUTER_PROTOCOLS";

export function readRouterSettings(raw: (name: string) => string | undefined, sources: SourceTypes, warnings: string[]): RouterSettings | undefined {
  const used = sources.byFamily[4] === "router" || sources.byFamily[6] === "router";
  if (!used) {
    for (const name of [ADDRESS, PROTOCOLS]) {
      if (raw(name) !== undefined) warnings.push(`${name} is set but no family uses the router source (DDNS_IP_SOURCE_TYPE_V4=router); ignored.`);
    }
    return undefined;
  }
  const settings: RouterSettings = { protocols: readProtocols(raw(PROTOCOLS)) };
  const address = raw(ADDRESS);
  if (address !== undefined) {
    const parsed = parseAddress(address);
    if (parsed?.family !== 4 || ["unspecified", "multicast", "broadcast"].includes(parsed.range)) throw new ConfigError(ADDRESS, `${ADDRESS} must be the router's IPv4 address, such as 192.168.1.1 (got ${quote(address, 80)}).`);
    settings.address = parsed.address;
  }
  return settings;
}

function readProtocols(value: string | undefined): RouterProtocol[] {
  if (value === undefined) return [...ROUTER_PROTOCOLS];
  const out: RouterProtocol[] = [];
  for (const part of value.split(",")) {
    const item = part.trim().toLowerCase();
    if (!(ROUTER_PROTOCOLS as readonly string[]).includes(item)) {
      throw new ConfigError(PROTOCOLS, `${PROTOCOLS} must be a comma-separated list of pcp, natpmp and igd, in the order to try (got ${quote(part.trim() || value, 80)}).`);
    }
    if (!out.includes(item as RouterProtocol)) out.push(item as RouterProtocol);
  }
  return out;
}

/** IPv6 records with the router as the IPv6 source: the router has no IPv6 answer, so say what to set instead. */
export function checkRouterFamilies(sources: SourceTypes, families: readonly Family[]): void {
  if (sources.byFamily[6] !== "router" || !families.includes(6)) return;
  const why = "the router source reads only IPv4 (IGD has no useful IPv6 answer); set DDNS_IP_SOURCE_TYPE_V6=netlink or http, or DDNS_IP_VERSIONS=4.";
  if (sources.variableOf(6) === "DDNS_IP_SOURCE_TYPE_V6") throw new ConfigError("DDNS_IP_SOURCE_TYPE_V6", `DDNS_IP_SOURCE_TYPE_V6=router is not possible: ${why}`);
  throw new ConfigError(
    "DDNS_IP_SOURCE_TYPE_V6",
    `DDNS_IP_SOURCE_TYPE_V6 is required when DDNS_IP_SOURCE_TYPE=router and IPv6 records are managed (DDNS_IP_VERSIONS or a record's ip_versions): ${why}`,
  );
}
