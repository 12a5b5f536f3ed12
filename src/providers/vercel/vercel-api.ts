import { mapAnswer, type Answer, type Problem } from "../kit/answer.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import type { HttpFailure } from "../kit/http-types.ts";
import { collectPages } from "../kit/paginate.ts";
import type { HeldRecord, WrittenType } from "../kit/record-plan.ts";
import type { RecordApi } from "../kit/record-provider.ts";
import { createRestApi } from "../kit/rest-api.ts";
import type { ProviderDeps } from "../kit/types.ts";
import { createZoneFinder, type Zone } from "../kit/zone-finder.ts";

/**
 * Vercel REST API (docs/providers/vercel.md): domains are the zones (`GET /v5/domains`); a record has a string id,
 * `name` relative to the domain ("" at the apex), `value`, `ttl` and `comment`. Listings page by time: each answer's
 * `pagination.next` is the `until` of the next page, null at the end. `teamId` goes along on every call when set.
 * Errors are `{ "error": { "code": "…", "message": "…", "invalidToken"?: true } }`; a 429 carries `X-RateLimit-Reset`.
 */
interface VRecord { id: string; name: string; type: string; value: string; ttl?: number; comment?: string }
type Listing<K extends string, T> = { [key in K]?: T[] } & { pagination?: { next?: number | null } };

function explain(f: HttpFailure, now: () => number): Partial<Problem> | undefined {
  const e = (f.json as { error?: { code?: unknown; message?: unknown; invalidToken?: unknown } } | undefined)?.error;
  const said = `HTTP ${f.status}${typeof e?.code === "string" ? ` ${JSON.stringify(e.code)}` : ""}${typeof e?.message === "string" ? `: ${quoteBody(e.message)}` : ""}`;
  if (f.status === 429) {
    const reset = Number(f.headers?.get("x-ratelimit-reset"));
    const retryAfterMs = f.retryAfterMs ?? (reset > 0 ? Math.max(1000, reset * 1000 - now()) : undefined);
    return { kind: "rate-limited", reason: `Vercel's request limit for this token is spent (${said})`, ...(retryAfterMs ? { retryAfterMs } : {}) };
  }
  if (f.reason !== "http" || typeof e?.message !== "string") return undefined;
  if (f.status === 401 || (f.status === 403 && e.invalidToken === true)) return { kind: "auth", reason: `Vercel refused the token (${said}); check DDNS_PROVIDER_API_TOKEN: an access token, not expired or revoked` };
  if (f.status === 403) return { kind: "auth", reason: `Vercel refused the ${f.method} (${said}); give the token access to the team that owns the domain, and set DDNS_VERCEL_TEAM_ID to that team's id` };
  if (f.status === 404) return { kind: "config", reason: `Vercel no longer has it (${said})`, tag: /\/records\/[^/?]+(?:\?|$)/.test(f.url) ? "stale-record" : "stale-zone" };
  if (f.status === 400 || f.status === 422) return { kind: "config", reason: `Vercel refused the record (${said}); check DDNS_RECORD_TTL (at least 60 at Vercel)` };
  return undefined;
}

const held = (r: VRecord): HeldRecord => ({ id: r.id, content: r.value, ...(r.ttl === undefined ? {} : { ttl: r.ttl }), ...(r.comment === undefined ? {} : { comment: r.comment }) });
const relative = (name: string, zone: Zone) => (name === zone.name ? "" : name.slice(0, -(zone.name.length + 1)));
const absolute = (name: string, zone: Zone) => (name === "" || name === "@" ? zone.name : `${name}.${zone.name}`.toLowerCase());
const withComment = (comment: string | undefined) => (comment === undefined ? {} : { comment });

export function vercelApi(s: { token: string; teamId: string | undefined; apiUrl: string }, deps: ProviderDeps): RecordApi<Zone> {
  const api = createRestApi(deps, { service: "Vercel", baseUrl: s.apiUrl, headers: { Authorization: `Bearer ${s.token}` }, secrets: [s.token], explain: (f) => explain(f, deps.now) });
  const team: Record<string, string> = s.teamId ? { teamId: s.teamId } : {};
  const done = async (call: Promise<Answer<unknown>>) => mapAnswer(await call, () => undefined);
  /** Every item, page after page: `until` = the previous page's `pagination.next`. */
  const every = <K extends string, T>(path: string, key: K, signal: AbortSignal) =>
    collectPages<T>(async (_page, until) =>
      mapAnswer(await api.call<Listing<K, T>>("GET", path, { query: { ...team, limit: 100, ...(until ? { until } : {}) }, signal }), (body) => {
        const next = body?.pagination?.next;
        return { items: Array.isArray(body?.[key]) ? body[key] : [], next: typeof next === "number" ? String(next) : null };
      }), { service: "Vercel", cursor: true });
  const records = async (zone: Zone, type: WrittenType, signal: AbortSignal) =>
    mapAnswer(await every<"records", VRecord>(`/v5/domains/${zone.name}/records`, "records", signal), (all) => all.filter((r) => r.type === type));

  return {
    service: "Vercel",
    zoneFix: "add the domain to the Vercel account or team of the token (Domains), and set DDNS_VERCEL_TEAM_ID for a team's domain",
    zones: createZoneFinder<Zone>({
      now: deps.now,
      list: async (signal) => mapAnswer(await every<"domains", { name: string }>("/v5/domains", "domains", signal), (ds) => ds.map((d) => ({ name: d.name.toLowerCase() }))),
    }),
    list: async (zone, name, type, signal) => mapAnswer(await records(zone, type, signal), (found) => found.filter((r) => absolute(r.name, zone) === name).map(held)),
    listAll: async (zone, type, signal) => mapAnswer(await records(zone, type, signal), (found) => found.map((r) => ({ ...held(r), name: absolute(r.name, zone) }))),
    async create(zone, record, signal) {
      const body = { name: relative(record.name, zone), type: record.type, value: record.content, ...(record.ttl === undefined ? {} : { ttl: record.ttl }), ...withComment(record.comment) };
      const made = await api.call<{ uid?: string }>("POST", `/v2/domains/${zone.name}/records`, { query: team, body, signal });
      return mapAnswer(made, (r) => (r?.uid ? { id: r.uid, content: record.content, ...(record.ttl === undefined ? {} : { ttl: record.ttl }), ...withComment(record.comment) } : undefined));
    },
    update: (_zone, record, changes, _request, signal) =>
      done(api.call("PATCH", `/v1/domains/records/${record.id}`, { query: team, body: { value: changes.content, ...withComment(changes.comment) }, signal })),
    remove: (zone, record, signal) => done(api.call("DELETE", `/v2/domains/${zone.name}/records/${record.id}`, { query: team, signal })),
  };
}
