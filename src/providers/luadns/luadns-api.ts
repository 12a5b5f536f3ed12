import { basicAuthorization } from "../kit/basic-auth.ts";
import * as v from "valibot";
import { mapAnswer, ok, shaped, type Problem } from "../kit/answer.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import type { HttpFailure } from "../kit/http-types.ts";
import type { HeldRecord } from "../kit/record-plan.ts";
import type { RecordApi } from "../kit/record-provider.ts";
import { createRestApi } from "../kit/rest-api.ts";
import type { ProviderDeps } from "../kit/types.ts";
import { createZoneFinder } from "../kit/zone-finder.ts";

/**
 * LuaDNS API v1 (docs/providers/luadns.md): HTTP Basic auth (account e-mail, API key), JSON only (`Accept` required).
 * Zones from `GET /zones` (all of them: no `limit` means no paging); a zone's records from `GET /zones/{id}/records`
 * (names absolute with a trailing dot), created with `POST`, changed with `PUT …/records/{id}`, deleted with `DELETE`.
 * Errors are `{"status", "request_id", "message"}`; requests are limited to 1200 every 5 minutes.
 */
type LZone = { name: string; id: number };
const ZONES = v.array(v.object({ id: v.number(), name: v.string() }));
const RECORD = v.object({ id: v.number(), name: v.string(), type: v.string(), content: v.string(), ttl: v.number() });
type LRecord = v.InferOutput<typeof RECORD>;

function explain(f: HttpFailure): Partial<Problem> | undefined {
  const e = f.json as { status?: unknown; message?: unknown } | undefined;
  const said = `HTTP ${f.status}${typeof e?.message === "string" ? `: ${quoteBody(e.message)}` : ""}`;
  if (f.status === 429) return { kind: "rate-limited", reason: `LuaDNS's request limit is spent (${said}; 1200 requests every 5 minutes)`, ...(f.retryAfterMs ? { retryAfterMs: f.retryAfterMs } : {}) };
  if (f.reason !== "http" || typeof e?.message !== "string") return undefined;
  if (f.status === 401) return { kind: "auth", reason: `LuaDNS refused the credentials (${said}); check DDNS_PROVIDER_API_KEY (the account's e-mail) and DDNS_PROVIDER_API_TOKEN (an API key), and that API access is enabled in the account settings` };
  if (f.status === 403) return { kind: "auth", reason: `LuaDNS refused the ${f.method} (${said}); the API key in DDNS_PROVIDER_API_TOKEN must be global or restricted to this zone` };
  if (f.status === 404) return { kind: "config", reason: `LuaDNS no longer has it (${said})`, tag: /\/records\/\d+$/.test(f.url) ? "stale-record" : "stale-zone" };
  if (f.status === 422 || f.status === 400) return { kind: "config", reason: `LuaDNS refused the record (${said}); check DDNS_RECORD_TTL (at least 300)` };
  return undefined;
}

const held = (r: LRecord): HeldRecord => ({ id: String(r.id), content: r.content, ttl: r.ttl });
const fqdn = (name: string) => `${name}.`;

export function luadnsApi(s: { email: string; token: string; apiUrl: string }, deps: ProviderDeps): RecordApi<LZone> {
  const authorization = basicAuthorization(s.email, s.token);
  const basic = authorization.slice("Basic ".length);
  const api = createRestApi(deps, { service: "LuaDNS", baseUrl: s.apiUrl, headers: { Authorization: authorization, Accept: "application/json" }, secrets: [s.token, s.email, basic], explain, errorText: (f) => (f.json as { message?: string } | undefined)?.message });
  const records = async (zone: LZone, type: string, signal: AbortSignal) =>
    mapAnswer(shaped(await api.call("GET", `/zones/${zone.id}/records`, { signal }), v.array(RECORD), "LuaDNS's record list"), (all) => all.filter((r) => r.type === type));
  const body = (name: string, type: string, content: string, ttl: number) => ({ name: fqdn(name), type, content, ttl });

  return {
    service: "LuaDNS",
    zoneFix: "add the zone to the LuaDNS account (and, for a restricted API key, restrict it to that zone)",
    zones: createZoneFinder<LZone>({
      now: deps.now,
      list: async (signal) => mapAnswer(shaped(await api.call("GET", "/zones", { signal }), ZONES, "LuaDNS's zone list"), (zones) => zones.map((z) => ({ id: z.id, name: z.name.toLowerCase() }))),
    }),
    list: async (zone, name, type, signal) => mapAnswer(await records(zone, type, signal), (found) => found.filter((r) => r.name.toLowerCase() === fqdn(name)).map(held)),
    listAll: async (zone, type, signal) => mapAnswer(await records(zone, type, signal), (found) => found.map((r) => ({ ...held(r), name: r.name.toLowerCase().replace(/\.$/, "") }))),
    async create(zone, record, signal) {
      const answer = await api.call("POST", `/zones/${zone.id}/records`, { body: body(record.name, record.type, record.content, record.ttl ?? 3600), signal });
      if (!answer.ok) return answer;
      // The record was created whatever the answer looks like; an unreadable one leaves its id unknown.
      const parsed = shaped(answer, RECORD, "LuaDNS's new record");
      return parsed.ok ? ok(held(parsed.value)) : ok(undefined);
    },
    update: async (zone, record, changes, request, signal) =>
      mapAnswer(await api.call("PUT", `/zones/${zone.id}/records/${record.id}`, { body: body(request.name, request.type, changes.content, record.ttl ?? 3600), signal }), () => undefined),
    remove: async (zone, record, signal) => mapAnswer(await api.call("DELETE", `/zones/${zone.id}/records/${record.id}`, { signal }), () => undefined),
  };
}
