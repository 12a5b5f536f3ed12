import type { WrittenType } from "../kit/record-plan.ts";
import { mapAnswer, type Problem } from "../kit/answer.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import type { HttpFailure } from "../kit/http-types.ts";
import { collectPages } from "../kit/paginate.ts";
import { createRestApi } from "../kit/rest-api.ts";
import type { RrsetApi } from "../kit/rrset-provider.ts";
import type { ProviderDeps } from "../kit/types.ts";
import { createZoneFinder, type Zone } from "../kit/zone-finder.ts";

/**
 * GoDaddy Domains API v1 (docs/providers/godaddy.md): `Authorization: sso-key KEY:SECRET`; the shopper's domains are
 * the zones (`GET /domains`, `limit` and `marker`); a name's records of one type are read and replaced as one set
 * (`GET`/`PUT /domains/{domain}/records/{type}/{name}`, the name relative, `@` the apex). Errors are
 * `{ "code": "…", "message": "…", "fields"?: […] }`; a 429 also says `retryAfterSec`.
 */
interface GdRecord { data: string; name?: string; ttl?: number; type?: string }

/** GoDaddy's error envelope as an operator line; undefined leaves the kit's generic words. */
function explain(f: HttpFailure): Partial<Problem> | undefined {
  const e = f.json as { code?: unknown; message?: unknown; retryAfterSec?: unknown; fields?: Array<{ message?: unknown; path?: unknown }> } | undefined;
  if (f.reason !== "http" || typeof e?.code !== "string") return undefined;
  const field = Array.isArray(e.fields) ? e.fields[0] : undefined;
  const detail = typeof field?.message === "string" ? `; ${typeof field.path === "string" ? `${field.path}: ` : ""}${field.message}` : "";
  const said = `HTTP ${f.status} ${JSON.stringify(e.code)}${typeof e.message === "string" ? `: ${quoteBody(`${e.message}${detail}`)}` : ""}`;
  if (f.status === 429) {
    const after = typeof e.retryAfterSec === "number" && e.retryAfterSec > 0 ? { retryAfterMs: e.retryAfterSec * 1000 } : {};
    return { kind: "rate-limited", reason: `GoDaddy's request limit is spent (${said}; 60 requests a minute)`, ...after };
  }
  if (f.status === 401) return { kind: "auth", reason: `GoDaddy refused the key (${said}); check DDNS_PROVIDER_API_KEY and DDNS_PROVIDER_API_TOKEN: a production key and its secret (OTE keys work only on the test API)` };
  if (f.status === 403)
    return { kind: "auth", reason: `GoDaddy refused the ${f.method} (${said}); the key must belong to the account that owns the domain, and GoDaddy opens its DNS API only to accounts it allows (see docs/providers/godaddy.md)` };
  if (f.status === 404) return { kind: "config", reason: `GoDaddy does not know the domain (${said})`, tag: "stale-zone" };
  if (f.status === 400 || f.status === 422) return { kind: "config", reason: `GoDaddy refused the record (${said}); check DDNS_RECORD_TTL (at least 600 at GoDaddy)` };
  return undefined;
}

export function goDaddyApi(s: { key: string; token: string; apiUrl: string }, deps: ProviderDeps): RrsetApi<Zone> {
  const api = createRestApi(deps, { service: "GoDaddy", baseUrl: s.apiUrl, headers: { Authorization: `sso-key ${s.key}:${s.token}` }, secrets: [s.key, s.token], explain });
  const path = (zone: Zone, type: WrittenType, name: string) => `/domains/${zone.name}/records/${type}/${name === zone.name ? "@" : name.slice(0, -(zone.name.length + 1))}`;

  return {
    service: "GoDaddy",
    zoneFix: "the domain must be registered in the GoDaddy account the API key belongs to",
    defaultTtl: 3600,
    deletesSets: true,
    zones: createZoneFinder<Zone>({
      now: deps.now,
      // 1000 a page; `marker` is the last domain of the page before.
      list: async (signal) =>
        mapAnswer(
          await collectPages<{ domain: string }>(async (_page, marker) => mapAnswer(await api.call<Array<{ domain: string }>>("GET", "/domains", { query: { statuses: "ACTIVE", limit: 1000, ...(marker ? { marker } : {}) }, signal }), (domains) => ({
            items: domains ?? [],
            next: (domains ?? []).length < 1000 ? null : (domains?.at(-1)?.domain ?? null),
          })), { service: "GoDaddy", cursor: true }),
          (domains) => domains.map((d) => ({ name: d.domain.toLowerCase() })),
        ),
    }),
    async read(zone, name, type, signal) {
      return mapAnswer(await api.call<GdRecord[]>("GET", path(zone, type, name), { signal }), (records) => {
        const held = records ?? [];
        return held.length === 0 ? undefined : { values: held.map((r) => r.data), ...(held[0]?.ttl === undefined ? {} : { ttl: held[0].ttl }) };
      });
    },
    async write(zone, changes, signal) {
      for (const c of changes) {
        // A change with no values deletes the set (DDNS_DELETE_ON_STOP): recordDeleteTypeName, 204.
        if (c.values.length === 0) {
          const deleted = await api.call("DELETE", path(zone, c.type, c.name), { signal });
          if (!deleted.ok) return deleted;
          continue;
        }
        const written = await api.call("PUT", path(zone, c.type, c.name), { body: c.values.map((data) => ({ data, ttl: c.ttl })), signal });
        if (!written.ok) return written;
      }
      return { ok: true, value: undefined };
    },
  };
}
