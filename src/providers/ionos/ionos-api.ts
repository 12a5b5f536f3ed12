import * as v from "valibot";
import { fail, mapAnswer, ok, shaped, type Answer, type Problem } from "../kit/answer.ts";
import { canonicalAddress } from "../kit/record-plan.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import type { HttpFailure } from "../kit/http-types.ts";
import { createRestApi } from "../kit/rest-api.ts";
import type { RrsetApi } from "../kit/rrset-provider.ts";
import type { ProviderDeps } from "../kit/types.ts";
import { createZoneFinder } from "../kit/zone-finder.ts";

/**
 * The IONOS DNS API (docs/providers/ionos.md): `X-API-Key: <prefix>.<secret>`; zones from `GET /zones` (ids), a
 * name's records from `GET /zones/{id}?recordName=…&recordType=…` (absolute names), and the records of each (name,
 * type) of a zone replaced in one `PATCH /zones/{id}` with a list of records. Errors are lists of `{code, message}`.
 * A disabled record is not served, so it does not count as holding the address. A set is deleted (DDNS_DELETE_ON_STOP)
 * record by record, `DELETE /zones/{id}/records/{recordId}`, after reading it again: a set that no longer holds what
 * was read is a conflict and stays.
 */
type IZone = { name: string; id: string };
const ZONES = v.array(v.object({ id: v.string(), name: v.string() }));
const ZONE = v.object({ id: v.string(), name: v.string(), records: v.array(v.object({ id: v.string(), name: v.string(), type: v.string(), content: v.string(), ttl: v.number(), disabled: v.optional(v.boolean()) })) });

function explain(f: HttpFailure): Partial<Problem> | undefined {
  const list = Array.isArray(f.json) ? (f.json as Array<{ code?: unknown; message?: unknown }>) : [];
  const first = list.find((e) => typeof e?.code === "string");
  const said = `HTTP ${f.status}${first ? ` ${JSON.stringify(first.code)}${typeof first.message === "string" ? `: ${quoteBody(first.message)}` : ""}` : ""}`;
  if (f.status === 429) return { kind: "rate-limited", reason: `IONOS's request limit is spent (${said})`, ...(f.retryAfterMs ? { retryAfterMs: f.retryAfterMs } : {}) };
  if (f.reason !== "http" || !first) return undefined;
  if (f.status === 401) return { kind: "auth", reason: `IONOS refused the API key (${said}); check DDNS_PROVIDER_API_KEY (the key's public prefix) and DDNS_PROVIDER_API_TOKEN (its secret)` };
  if (f.status === 403) return { kind: "auth", reason: `IONOS refused the ${f.method} (${said}); the API key in DDNS_PROVIDER_API_KEY / DDNS_PROVIDER_API_TOKEN may not change this zone` };
  if (f.status === 404) return { kind: "config", tag: "stale-zone", reason: `IONOS no longer has the zone (${said})` };
  if (f.status === 400 || f.status === 422) return { kind: "config", reason: `IONOS refused the records (${said}); check DDNS_RECORD_TTL (at least 300)` };
  return undefined;
}

export function ionosApi(s: { prefix: string; token: string; apiUrl: string }, deps: ProviderDeps): RrsetApi<IZone> {
  const key = `${s.prefix}.${s.token}`;
  const api = createRestApi(deps, { service: "IONOS", baseUrl: s.apiUrl, headers: { "X-API-Key": key, Accept: "application/json" }, secrets: [key, s.token, s.prefix], explain, errorText: (f) => (Array.isArray(f.json) ? (f.json[0] as { message?: string } | undefined)?.message : undefined) });
  /** The served records of (name, type), with their ids. */
  async function served(zone: IZone, name: string, type: string, signal: AbortSignal) {
    const answer = shaped(await api.call("GET", `/zones/${zone.id}`, { query: { recordName: name, recordType: type }, signal }), ZONE, "IONOS's list of zone records");
    return mapAnswer(answer, ({ records }) => records.filter((r) => r.name.toLowerCase() === name && r.type === type && !r.disabled));
  }

  /** Deletes the records of a set that still holds exactly `expected`; a set that changed meanwhile is a conflict. */
  async function removeSet(zone: IZone, name: string, type: string, expected: readonly string[], signal: AbortSignal): Promise<Answer<void>> {
    const now = await served(zone, name, type, signal);
    if (!now.ok) return now;
    const same = (a: readonly string[]) => a.map(canonicalAddress).sort().join(" ");
    if (same(now.value.map((r) => r.content)) !== same(expected)) return fail({ kind: "transient", tag: "conflict", reason: "the record set no longer holds what ddnsd read" });
    for (const [i, r] of now.value.entries()) {
      const gone = await api.call("DELETE", `/zones/${zone.id}/records/${encodeURIComponent(r.id)}`, { signal, missingOk: true });
      if (!gone.ok) return fail({ ...gone.problem, ...(i > 0 ? { mayHaveArrived: true } : {}) });
    }
    return ok(undefined);
  }

  return {
    service: "IONOS",
    zoneFix: "add the domain's DNS zone to the IONOS contract the API key belongs to",
    defaultTtl: 3600,
    // One PATCH replaces the records of every (name, type) it names, leaving the zone's other records alone.
    maxPerWrite: 50,
    deletesSets: true,
    zones: createZoneFinder<IZone>({
      now: deps.now,
      list: async (signal) => mapAnswer(shaped(await api.call("GET", "/zones", { signal }), ZONES, "IONOS's zone list"), (zones) => zones.map((z) => ({ id: z.id, name: z.name.toLowerCase() }))),
    }),
    async read(zone, name, type, signal) {
      return mapAnswer(await served(zone, name, type, signal), (mine) => (mine.length === 0 ? undefined : { values: mine.map((r) => r.content), ttl: mine[0]!.ttl }));
    },
    async write(zone, changes, signal) {
      // A change with no values deletes the set, record by record, before the sets that are replaced.
      for (const c of changes.filter((one) => one.values.length === 0)) {
        const gone = await removeSet(zone, c.name, c.type, c.previous?.values ?? [], signal);
        if (!gone.ok) return gone;
      }
      const kept = changes.filter((c) => c.values.length > 0);
      if (kept.length === 0) return ok(undefined);
      const body = kept.flatMap((c) => c.values.map((content) => ({ name: c.name, type: c.type, content, ttl: c.ttl, prio: 0, disabled: false })));
      return mapAnswer(await api.call("PATCH", `/zones/${zone.id}`, { body, signal }), () => undefined);
    },
  };
}
