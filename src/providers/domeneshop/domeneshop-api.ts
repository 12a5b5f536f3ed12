import * as v from "valibot";
import { mapAnswer, ok, shaped, type Problem } from "../kit/answer.ts";
import { basicAuthorization } from "../kit/basic-auth.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import type { HttpFailure } from "../kit/http-types.ts";
import type { HeldRecord } from "../kit/record-plan.ts";
import type { RecordApi } from "../kit/record-provider.ts";
import { createRestApi } from "../kit/rest-api.ts";
import type { ProviderDeps } from "../kit/types.ts";
import { createZoneFinder, relativeName } from "../kit/zone-finder.ts";

/**
 * Domeneshop API v0 (docs/providers/domeneshop.md): HTTP Basic auth with an API client's token and secret; the
 * account's domains from `GET /domains` (those with `services.dns` are zones, each with an integer `id`); a domain's
 * records from `GET /domains/{id}/dns` (`{id, host, ttl, type, data}`, "@" the apex), created with `POST`, replaced
 * with `PUT …/dns/{recordId}`, deleted with `DELETE`. Errors are `{code, help}`.
 */
type DZone = { name: string; id: number };
const DOMAINS = v.array(v.object({ id: v.number(), domain: v.string(), services: v.optional(v.object({ dns: v.optional(v.boolean()) })) }));
const RECORD = v.object({ id: v.number(), host: v.string(), ttl: v.number(), type: v.string(), data: v.string() });
type DRecord = v.InferOutput<typeof RECORD>;
const minutes = (ttl: number) => Math.ceil(ttl / 60) * 60;

function explain(f: HttpFailure): Partial<Problem> | undefined {
  const e = f.json as { code?: unknown; help?: unknown } | undefined;
  const said = `HTTP ${f.status}${typeof e?.code === "string" ? ` ${JSON.stringify(e.code)}` : ""}${typeof e?.help === "string" ? `: ${quoteBody(e.help)}` : ""}`;
  if (f.status === 429) return { kind: "rate-limited", reason: `Domeneshop's request limit is spent (${said})`, ...(f.retryAfterMs ? { retryAfterMs: f.retryAfterMs } : {}) };
  if (f.reason !== "http" || typeof e?.code !== "string") return undefined;
  if (f.status === 401) return { kind: "auth", reason: `Domeneshop refused the API client (${said}); check DDNS_PROVIDER_API_KEY (the API token) and DDNS_PROVIDER_API_TOKEN (its secret)` };
  if (f.status === 403) return { kind: "auth", reason: `Domeneshop refused the ${f.method} (${said}); the API client in DDNS_PROVIDER_API_KEY must belong to the account that holds the domain` };
  if (f.status === 404) return { kind: "config", reason: `Domeneshop no longer has it (${said})`, tag: /\/dns\/\d+$/.test(f.url) ? "stale-record" : "stale-zone" };
  if (f.status === 400 || f.status === 409 || f.status === 422) return { kind: "config", reason: `Domeneshop refused the record (${said}); check DDNS_RECORD_TTL (60…604800)` };
  return undefined;
}

export function domeneshopApi(s: { token: string; secret: string; apiUrl: string }, deps: ProviderDeps): RecordApi<DZone> {
  const basic = basicAuthorization(s.token, s.secret);
  const api = createRestApi(deps, { service: "Domeneshop", baseUrl: s.apiUrl, headers: { Authorization: basic, Accept: "application/json" }, secrets: [s.secret, s.token, basic.slice(6)], explain, errorText: (f) => (f.json as { help?: string } | undefined)?.help });
  const held = (r: DRecord): HeldRecord => ({ id: String(r.id), content: r.data, ttl: r.ttl });
  const records = async (zone: DZone, type: string, signal: AbortSignal) =>
    mapAnswer(shaped(await api.call("GET", `/domains/${zone.id}/dns`, { query: { type }, signal }), v.array(RECORD), "Domeneshop's record list"), (all) => all.filter((r) => r.type === type));
  const body = (zone: DZone, name: string, type: string, data: string, ttl: number) => ({ host: relativeName(name, zone.name), ttl: minutes(ttl), type, data });

  return {
    service: "Domeneshop",
    zoneFix: "the domain must be in the Domeneshop account of the API client and use Domeneshop's DNS service",
    zones: createZoneFinder<DZone>({
      now: deps.now,
      list: async (signal) => mapAnswer(shaped(await api.call("GET", "/domains", { signal }), DOMAINS, "Domeneshop's domain list"), (all) => all.filter((d) => d.services?.dns !== false).map((d) => ({ id: d.id, name: d.domain.toLowerCase() }))),
    }),
    list: async (zone, name, type, signal) => mapAnswer(await records(zone, type, signal), (found) => found.filter((r) => r.host.toLowerCase() === relativeName(name, zone.name)).map(held)),
    listAll: async (zone, type, signal) => mapAnswer(await records(zone, type, signal), (found) => found.map((r) => ({ ...held(r), name: (r.host === "@" ? zone.name : `${r.host}.${zone.name}`).toLowerCase() }))),
    async create(zone, record, signal) {
      const b = body(zone, record.name, record.type, record.content, record.ttl ?? 3600);
      const answer = await api.call("POST", `/domains/${zone.id}/dns`, { body: b, signal });
      if (!answer.ok) return answer;
      // The record was created whatever the answer looks like; an unreadable one leaves its id unknown.
      const parsed = shaped(answer, v.object({ id: v.number() }), "Domeneshop's new record");
      return ok(parsed.ok ? { id: String(parsed.value.id), content: record.content, ttl: b.ttl } : undefined);
    },
    update: async (zone, record, changes, request, signal) =>
      mapAnswer(await api.call("PUT", `/domains/${zone.id}/dns/${record.id}`, { body: body(zone, request.name, request.type, changes.content, record.ttl ?? 3600), signal }), () => undefined),
    remove: async (zone, record, signal) => mapAnswer(await api.call("DELETE", `/domains/${zone.id}/dns/${record.id}`, { signal }), () => undefined),
  };
}
