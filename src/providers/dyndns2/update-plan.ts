import { parseAddress } from "../../core/address-rules.ts";
import type { RecordRequest } from "../kit/types.ts";
import type { DynDns2Preset } from "./presets.ts";
import { quote } from "./return-codes.ts";

/**
 * Turns record requests into as few DynDNS2 update requests as the service allows (pure; no I/O).
 * A unit is what one answer line covers: one hostname with the address(es) sent for it. When the service takes
 * IPv6 in its own parameter (`myipv6`), the A and AAAA of one name travel together; otherwise each family is a unit.
 * Units that send the same addresses share a request (`hostname=a,b`), up to the preset's `maxHosts`.
 */
export interface Slot {
  /** Position of the request in the caller's list. */
  index: number;
  address: string;
}

export interface Unit {
  name: string;
  v4?: Slot;
  v6?: Slot;
}

export interface Batch {
  units: Unit[];
  query: Record<string, string>;
}

/** Why a request cannot be sent as configured (a `config` failure), or `undefined` when it can. */
export function checkRequest(request: RecordRequest, preset: DynDns2Preset): string | undefined {
  if (request.name.startsWith("*.")) {
    return `${preset.label} cannot update wildcard names: DynDNS2 updates named hosts only; remove it from DDNS_RECORDS`;
  }
  const parsed = parseAddress(request.content);
  const family = request.type === "A" ? 4 : 6;
  if (!parsed || parsed.family !== family) {
    return `${quote(request.content)} is not an IPv${family} address`;
  }
  if (family === 6 && preset.ipv6Param === null) {
    return `${preset.label} updates IPv4 addresses only, so AAAA records cannot be managed: set DDNS_IP_VERSIONS=4`;
  }
  return undefined;
}

/** Groups the sendable requests into units and batches, keeping the caller's order. */
export function planBatches(items: Array<{ index: number; request: RecordRequest }>, preset: DynDns2Preset): Batch[] {
  const units = buildUnits(items, preset.ipv6Param === "myipv6");
  const batches: Batch[] = [];
  const open = new Map<string, Batch>();
  for (const unit of units) {
    const key = `${unit.v4?.address ?? "-"}|${unit.v6?.address ?? "-"}`;
    let batch = open.get(key);
    if (!batch || batch.units.length >= preset.maxHosts || batch.units.some((u) => u.name === unit.name)) {
      batch = { units: [], query: addressQuery(unit, preset) };
      batches.push(batch);
      open.set(key, batch);
    }
    batch.units.push(unit);
  }
  for (const batch of batches) {
    batch.query = { hostname: batch.units.map((u) => u.name).join(","), ...preset.extraQuery, ...batch.query };
  }
  return batches;
}

function buildUnits(items: Array<{ index: number; request: RecordRequest }>, together: boolean): Unit[] {
  const units: Unit[] = [];
  const byName = new Map<string, Unit>();
  for (const { index, request } of items) {
    const slot: Slot = { index, address: parseAddress(request.content)?.address ?? request.content };
    const field = request.type === "A" ? "v4" : "v6";
    const existing = together ? byName.get(request.name) : undefined;
    if (existing && existing[field] === undefined) {
      existing[field] = slot;
      continue;
    }
    const unit: Unit = { name: request.name, [field]: slot };
    units.push(unit);
    byName.set(request.name, unit);
  }
  return units;
}

/** The address parameters of one request: `myip`/`myipv6` with the preset's keep value, or one address in `myip`. */
function addressQuery(unit: Unit, preset: DynDns2Preset): Record<string, string> {
  if (preset.ipv6Param !== "myipv6") return { myip: (unit.v4 ?? unit.v6)?.address ?? "" };
  const query: Record<string, string> = {};
  const myip = unit.v4?.address ?? preset.keepValue;
  const myipv6 = unit.v6?.address ?? preset.keepValue;
  if (myip !== undefined) query.myip = myip;
  if (myipv6 !== undefined) query.myipv6 = myipv6;
  return query;
}

/** The slots a unit carries, A first. */
export function slotsOf(unit: Unit): Slot[] {
  return [unit.v4, unit.v6].filter((s): s is Slot => s !== undefined);
}
