import { parseAddress } from "../../core/address-rules.ts";
import type { RecordRequest } from "./types.ts";

/**
 * Turns record requests into as few update calls as a write-only service allows (pure). A unit is what one answer
 * covers: one hostname with the address(es) sent for it. When the service takes A and AAAA in one call
 * (`together`), the two records of one name travel as one unit; otherwise each record is a unit. Units that send
 * the same addresses share a call (`hostname=a,b`, `domains=a,b`) up to `maxPerCall` names, and never the same name
 * twice.
 */
export interface Slot {
  /** Position of the request in the caller's list. */
  index: number;
  request: RecordRequest;
  /** Canonical address. */
  address: string;
}

export interface Unit {
  name: string;
  v4?: Slot;
  v6?: Slot;
}

export interface UpdateCall {
  units: Unit[];
  /** The addresses every unit of the call sends. */
  v4?: string;
  v6?: string;
}

export interface CallShape {
  together: boolean;
  maxPerCall: number;
}

export const slotsOf = (unit: Unit): Slot[] => [unit.v4, unit.v6].filter((s): s is Slot => s !== undefined);

export function planUpdateCalls(items: ReadonlyArray<{ index: number; request: RecordRequest }>, shape: CallShape): UpdateCall[] {
  const units: Unit[] = [];
  const byName = new Map<string, Unit>();
  for (const { index, request } of items) {
    const slot: Slot = { index, request, address: parseAddress(request.content)?.address ?? request.content };
    const field = request.type === "A" ? "v4" : "v6";
    const existing = shape.together ? byName.get(request.name) : undefined;
    if (existing && existing[field] === undefined) {
      existing[field] = slot;
      continue;
    }
    const unit: Unit = { name: request.name, [field]: slot };
    units.push(unit);
    byName.set(request.name, unit);
  }
  const calls: UpdateCall[] = [];
  const open = new Map<string, UpdateCall>();
  for (const unit of units) {
    const key = `${unit.v4?.address ?? "-"}|${unit.v6?.address ?? "-"}`;
    let call = open.get(key);
    if (!call || call.units.length >= shape.maxPerCall || call.units.some((u) => u.name === unit.name)) {
      call = { units: [], ...(unit.v4 ? { v4: unit.v4.address } : {}), ...(unit.v6 ? { v6: unit.v6.address } : {}) };
      calls.push(call);
      open.set(key, call);
    }
    call.units.push(unit);
  }
  return calls;
}
