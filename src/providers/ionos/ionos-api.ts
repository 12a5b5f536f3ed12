import * as v from "valibot";
import { mapAnswer, shaped, type Problem } from "../kit/answer.ts";
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
 * A disabled record is not served, so it does not count as holding the address.
 */
type IZone = { name: string; id: string };
const ZONES = v.array(v.object({ id: v.string(), name: v.string() }));
const ZONE = v.object({ id: v.string(), name: v.string(), records: v.array(v.object({ name: v.string(), type: v.string(), content: v.string(), ttl: v.number(), disabled: v.optional(v.boolean()) })) });

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
  return {
    service: "IONOS",
    zoneFix: "add the domain's DNS zone to the IONOS contract the API key belongs to",
    defaultTtl: 3600,
    // One PATCH replaces the records of every (name, type) it names, leaving the zone's other records alone.
    maxPerWrite: 50,
    zones: createZoneFinder<IZone>({
      now: deps.now,
      list: async (signal) => mapAnswer(shaped(await api.call("GET", "/zones", { signal }), ZONES, "IONOS's zone list"), (zones) => zones.map((z) => ({ id: z.id, name: z.name.toLowerCase() }))),
    }),
    async read(zone, name, type, signal) {
      const answer = shaped(await api.call("GET", `/zones/${zone.id}`, { query: { recordName: name, recordType: type }, signal }), ZONE, "IONOS's list of zone records");
      return mapAnswer(answer, ({ records }) => {
        const mine = records.filter((r) => r.name.toLowerCase() === name && r.type === type && !r.disabled);
        return mine.length === 0 ? undefined : { values: mine.map((r) => r.content), ttl: mine[0]!.ttl };
      });
    },
    async write(zone, changes, signal) {
      const body = changes.flatMap((c) => c.values.map((content) => ({ name: c.name, type: c.type, content, ttl: c.ttl, prio: 0, disabled: false })));
      return mapAnswer(await api.call("PATCH", `/zones/${zone.id}`, { body, signal }), () => undefined);
    },
  };
}
