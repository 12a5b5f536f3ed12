import { mapAnswer, type Answer, type Problem } from "../kit/answer.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import type { HttpFailure } from "../kit/http-types.ts";
import type { HeldRecord } from "../kit/record-plan.ts";
import type { RecordApi } from "../kit/record-provider.ts";
import { createRestApi } from "../kit/rest-api.ts";
import type { ProviderDeps } from "../kit/types.ts";
import { createZoneFinder, type Zone } from "../kit/zone-finder.ts";

/**
 * Netlify API v1 (docs/providers/netlify.md): `GET /dns_zones` lists the zones the token may see (a plain array,
 * unpaged); a zone's records are one unpaged array (`hostname` fully qualified, `value`, `ttl`, string `id`,
 * `managed` for Netlify's own). There is no update: a change is a create, then the old record's delete. Errors
 * are `{ "code": …, "message": "…" }`; a spent budget is a 429 with `X-RateLimit-Reset` (Unix seconds).
 */
interface NetlifyRecord { id: string; hostname: string; type: string; value: string; ttl?: number; managed?: boolean }
export interface NetlifyZone extends Zone { id: string }

function explain(f: HttpFailure, now: () => number): Partial<Problem> | undefined {
  const e = f.json as { message?: unknown } | undefined;
  const said = `HTTP ${f.status}${typeof e?.message === "string" ? `: ${quoteBody(e.message)}` : ""}`;
  if (f.status === 429) {
    const reset = Number(f.headers?.get("x-ratelimit-reset"));
    const retryAfterMs = f.retryAfterMs ?? (reset > 0 ? Math.max(1000, reset * 1000 - now()) : undefined);
    return { kind: "rate-limited", reason: `Netlify's request limit for this token is spent (${said})`, ...(retryAfterMs ? { retryAfterMs } : {}) };
  }
  if (f.reason !== "http" || typeof e?.message !== "string") return undefined;
  if (f.status === 401) return { kind: "auth", reason: `Netlify refused the token (${said}); check DDNS_PROVIDER_API_TOKEN: a personal access token, not expired or revoked` };
  if (f.status === 403) return { kind: "auth", reason: `Netlify refused the ${f.method} (${said}); the token's user must be allowed to manage the DNS zone (a team member with DNS rights)` };
  if (f.status === 404) return { kind: "config", reason: `Netlify no longer has it (${said})`, tag: /\/dns_records\/[^/]+$/.test(f.url) ? "stale-record" : "stale-zone" };
  if (f.status === 422 || f.status === 400) return { kind: "config", reason: `Netlify refused the record (${said}); check DDNS_RECORD_TTL and the record's name` };
  return undefined;
}

const held = (r: NetlifyRecord): HeldRecord => ({ id: r.id, content: r.value, ...(r.ttl === undefined ? {} : { ttl: r.ttl }) });

export function netlifyApi(s: { token: string; apiUrl: string }, deps: ProviderDeps): RecordApi<NetlifyZone> {
  const api = createRestApi(deps, { service: "Netlify", baseUrl: s.apiUrl, headers: { Authorization: `Bearer ${s.token}` }, secrets: [s.token], explain: (f) => explain(f, deps.now) });
  const done = async (call: Promise<Answer<unknown>>) => mapAnswer(await call, () => undefined);
  /** The zone's records of `type` (Netlify's own `managed` ones are not ours to touch). */
  const records = async (zone: NetlifyZone, type: string, signal: AbortSignal) =>
    mapAnswer(await api.call<NetlifyRecord[]>("GET", `/dns_zones/${zone.id}/dns_records`, { signal }), (all) =>
      (Array.isArray(all) ? all : []).filter((r) => r.type === type && !r.managed));
  const create = async (zone: NetlifyZone, body: { type: string; hostname: string; value: string; ttl?: number }, signal: AbortSignal) =>
    mapAnswer(await api.call<NetlifyRecord>("POST", `/dns_zones/${zone.id}/dns_records`, { body, signal }), (r) => (r?.id ? held(r) : undefined));

  return {
    service: "Netlify",
    zoneFix: "add the domain under Domains → Netlify DNS for a team the token's user belongs to",
    zones: createZoneFinder<NetlifyZone>({
      now: deps.now,
      list: async (signal) =>
        mapAnswer(await api.call<Array<{ id: string; name: string }>>("GET", "/dns_zones", { signal }), (zones) =>
          (Array.isArray(zones) ? zones : []).map((z) => ({ id: z.id, name: z.name.toLowerCase() }))),
    }),
    list: async (zone, name, type, signal) => mapAnswer(await records(zone, type, signal), (found) => found.filter((r) => r.hostname.toLowerCase() === name).map(held)),
    listAll: async (zone, type, signal) => mapAnswer(await records(zone, type, signal), (found) => found.map((r) => ({ ...held(r), name: r.hostname.toLowerCase() }))),
    create: (zone, record, signal) =>
      create(zone, { type: record.type, hostname: record.name, value: record.content, ...(record.ttl === undefined ? {} : { ttl: record.ttl }) }, signal),
    // No update at Netlify: the new record first (the name keeps answering), with the old one's TTL, then the old goes.
    async update(zone, record, changes, request, signal) {
      const made = await create(zone, { type: request.type, hostname: request.name, value: changes.content, ...(record.ttl === undefined ? {} : { ttl: record.ttl }) }, signal);
      if (!made.ok) return made;
      const gone = await api.call("DELETE", `/dns_zones/${zone.id}/dns_records/${record.id}`, { signal });
      if (!gone.ok && gone.problem.tag !== "stale-record") return gone;
      return made.value ? made : { ok: true, value: undefined };
    },
    remove: (zone, record, signal) => done(api.call("DELETE", `/dns_zones/${zone.id}/dns_records/${record.id}`, { signal })),
  };
}
