import type { Logger } from "../../log/logger.ts";
import type { Answer, Problem } from "./answer.ts";
import { adoptable, claimsOf, leftovers, markOwned, ownerName, ownerText } from "./owner-registry.ts";
import { sameAddress, type HeldRecord, type NewRecord, type WrittenType } from "./record-plan.ts";
import type { Step } from "./record-steps.ts";
import type { RecordRequest } from "./types.ts";
import type { Zone } from "./zone-finder.ts";

/**
 * The owner registry (DDNS_OWNER_ID) on the record template, made of the provider's own `list`, `create` and `remove`
 * called with type TXT: no provider code beyond, at most, `txtContent` (how the service wants a TXT text written).
 * Reading a name: its records of the type and the owner TXT records at `_ddnsd-a.<name>`; a record is this daemon's
 * when an owner TXT of this owner names its id. This owner's TXT records that name an id the name no longer holds
 * are leftovers and are deleted when seen; another owner's are never touched. With DDNS_OWNER_ADOPT, while this owner
 * owns none, the records no owner TXT of anyone names are adopted: their TXT is written, and the log says so.
 */
export interface RegistryApi<Z extends Zone> {
  readonly service: string;
  list(zone: Z, name: string, type: WrittenType, signal: AbortSignal): Promise<Answer<HeldRecord[]>>;
  create(zone: Z, record: NewRecord, signal: AbortSignal): Promise<Answer<HeldRecord | undefined>>;
  remove(zone: Z, held: HeldRecord, signal: AbortSignal): Promise<Answer<void>>;
  /** How the service wants a TXT record's text written (default: as it is; some APIs want it in double quotes). */
  txtContent?(text: string): string;
}

export interface RegistryContext {
  signal: AbortSignal;
  dryRun: boolean;
  log?: Pick<Logger, "info">;
}

type Read = { ok: true; held: HeldRecord[] } | { ok: false; problem: Problem; step: Step };

const q = (text: string) => JSON.stringify(text);

/** The held records of (name, type), each marked `owned` or not by the owner TXT records beside them. */
export async function readOwned<Z extends Zone>(api: RegistryApi<Z>, zone: Z, request: RecordRequest, held: HeldRecord[], ctx: RegistryContext): Promise<Read> {
  const owner = request.ownerId!;
  const txts = await api.list(zone, ownerName(request.name, request.type), "TXT", ctx.signal);
  if (!txts.ok) return { ok: false, problem: txts.problem, step: "registry-read" };
  const claims = claimsOf(txts.value);
  let marked = markOwned(owner, held, claims);
  if (!ctx.dryRun) {
    // A failed deletion leaves the leftover for the next read: it names nothing, so it does no harm meanwhile.
    for (const txt of leftovers(owner, held, claims)) await api.remove(zone, txt, ctx.signal);
  }
  if (request.ownerAdopt) {
    for (const record of adoptable(marked, claims)) {
      const subject = `the ${request.type} record ${request.name} (${record.content}) for DDNS_OWNER_ID ${q(owner)}`;
      if (ctx.dryRun) {
        ctx.log?.info(`Would adopt ${subject}`);
        marked = marked.map((r) => (r === record ? { ...r, owned: true } : r));
        continue;
      }
      const txt = await registerOwner(api, zone, request, record, ctx.signal);
      if (!txt.ok) return { ok: false, problem: txt.problem, step: "adopt" };
      ctx.log?.info(`Adopted ${subject}`);
      marked = marked.map((r) => (r === record ? { ...r, owned: true, registry: txt.value ? [txt.value] : [] } : r));
    }
  }
  return { ok: true, held: marked };
}

/** Writes the owner TXT naming `record`; answers the TXT record as created (when the service says). */
export async function registerOwner<Z extends Zone>(api: RegistryApi<Z>, zone: Z, request: RecordRequest, record: HeldRecord, signal: AbortSignal): Promise<Answer<HeldRecord | undefined>> {
  const text = ownerText(request.ownerId!, record.id);
  const txt: NewRecord = { name: ownerName(request.name, request.type), type: "TXT", content: api.txtContent ? api.txtContent(text) : text };
  if (typeof request.ttl === "number") txt.ttl = request.ttl;
  return api.create(zone, txt, signal);
}

/**
 * After ddnsd deleted a record of its own: the owner TXT records that named it go too. One that cannot be deleted
 * now is a leftover, deleted when the name is next read.
 */
export async function unregister<Z extends Zone>(api: RegistryApi<Z>, zone: Z, record: HeldRecord, signal: AbortSignal): Promise<void> {
  for (const txt of record.registry ?? []) await api.remove(zone, txt, signal);
}

/**
 * A record just created whose id the service's answer did not carry (Loopia answers "OK"): the one record of the name
 * holding the address that was not there before (`known`), read back — or undefined when that is not exactly one.
 */
export async function findCreated<Z extends Zone>(api: RegistryApi<Z>, zone: Z, request: RecordRequest, known: readonly HeldRecord[], signal: AbortSignal): Promise<HeldRecord | undefined> {
  const listed = await api.list(zone, request.name, request.type, signal);
  if (!listed.ok) return undefined;
  const before = new Set(known.map((r) => r.id));
  const fresh = listed.value.filter((r) => !before.has(r.id) && sameAddress(r.content, request.content));
  return fresh.length === 1 ? fresh[0] : undefined;
}
