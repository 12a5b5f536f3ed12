import { ConfigError } from "../core/errors.ts";
import { checkPublishable } from "../core/address-rules.ts";
import type { Family } from "../core/family.ts";
import type { SourceTypes } from "./source-types.ts";

/**
 * `DDNS_IP_SOURCE_TYPE=static`: fixed addresses from `DDNS_IP_STATIC_V4` / `DDNS_IP_STATIC_V6` (a server with a
 * static IP, or tests). Each is validated like a detected address (the publishing rules, DDNS_ALLOW_PRIVATE_ADDRESSES);
 * changing one means a restart. The source is per family (DDNS_IP_SOURCE_TYPE_V4 / _V6): `static` for one family only
 * reads that family's address. When both are static and DDNS_IP_VERSIONS is unset, the managed families are those given
 * an address; a family managed without one is a configuration error. Set for a family whose source is not static, an
 * address is ignored with a warning.
 */
export type StaticAddresses = Partial<Record<Family, string>>;

const NAMES: Record<Family, string> = { 4: "DDNS_IP_STATIC_V4", 6: "DDNS_IP_STATIC_V6" };

export function readStaticAddresses(
  raw: (name: string) => string | undefined,
  sources: SourceTypes,
  rules: { allowPrivate: boolean },
  warnings: string[],
): StaticAddresses | undefined {
  const isStatic = (family: Family) => sources.byFamily[family] === "static";
  for (const family of [4, 6] as const) {
    if (raw(NAMES[family]) === undefined || isStatic(family)) continue;
    warnings.push(`${NAMES[family]} is set but ${sources.variableOf(family)} is ${sources.byFamily[family]}, not static; ignored.`);
  }
  const families = ([4, 6] as const).filter(isStatic);
  if (families.length === 0) return undefined;
  const given = families.filter((family) => raw(NAMES[family]) !== undefined);
  if (given.length === 0 && families.length === 2) {
    throw new ConfigError("DDNS_IP_STATIC_V4", "DDNS_IP_STATIC_V4 or DDNS_IP_STATIC_V6 is required when DDNS_IP_SOURCE_TYPE=static (e.g. DDNS_IP_STATIC_V4=203.0.113.10).");
  }
  const addresses: StaticAddresses = {};
  for (const family of given) {
    const name = NAMES[family];
    const verdict = checkPublishable(raw(name)!, family, rules);
    if (!verdict.ok) {
      // The hint only where it helps: an address the private-address option would accept.
      const hint = !rules.allowPrivate && checkPublishable(raw(name)!, family, { allowPrivate: true }).ok ? " (DDNS_ALLOW_PRIVATE_ADDRESSES=true publishes it, for a LAN-only zone)" : "";
      throw new ConfigError(name, `${name} must be a public IPv${family} address: ${verdict.reason}${hint}.`);
    }
    addresses[family] = verdict.address;
  }
  return addresses;
}

/** A family the records need but no static address was given for: one line naming the variable to set. */
export function checkStaticFamilies(addresses: StaticAddresses | undefined, sources: SourceTypes, families: readonly Family[]): void {
  if (!addresses) return;
  for (const family of families) {
    if (sources.byFamily[family] !== "static" || addresses[family] !== undefined) continue;
    const other = family === 4 ? 6 : 4;
    throw new ConfigError(
      NAMES[family],
      `${NAMES[family]} is required when ${sources.variableOf(family)}=static and IPv${family} records are managed (DDNS_IP_VERSIONS or a record's ip_versions); set it, or set DDNS_IP_VERSIONS=${other}.`,
    );
  }
}
