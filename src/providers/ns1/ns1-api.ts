import * as v from "valibot";
import { mapAnswer, ok, shaped, type Problem } from "../kit/answer.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import type { HttpFailure } from "../kit/http-types.ts";
import { nextLink } from "../kit/link-header.ts";
import { collectPages } from "../kit/paginate.ts";
import { createRestApi } from "../kit/rest-api.ts";
import type { RrsetApi } from "../kit/rrset-provider.ts";
import type { ProviderDeps } from "../kit/types.ts";
import { createZoneFinder } from "../kit/zone-finder.ts";

/**
 * NS1's REST API v1 (docs/providers/ns1.md): the `X-NSONE-Key` header. The key's zones come from `GET /zones` (each
 * with its default `ttl`), page after page as long as an answer names the next in `Link: <…>; rel="next"` (as the SDK
 * ns1/ns1-go follows them: `DoWithPagination`), on the API's own origin only; a record is the whole set of one name and type, read by `GET /zones/{zone}/{fqdn}/{type}`
 * (404 "record not found": none), created by `PUT` on that path with `{zone, domain, type, answers, ttl}` and changed
 * by `POST` with `{answers, ttl}` (answers `[{answer: ["192.0.2.1"]}]`). Errors are `{"message": "…"}`; rate
 * limits come as `X-Ratelimit-Limit`, `-Remaining` and `-Period` (seconds) on every answer.
 */
type NZone = { name: string; ttl: number };
const ZONES = v.array(v.object({ zone: v.string(), ttl: v.optional(v.number()) }));
const RECORD = v.object({ ttl: v.number(), answers: v.array(v.object({ answer: v.array(v.union([v.string(), v.number()])) })) });

function explain(f: HttpFailure): Partial<Problem> | undefined {
  const message = (f.json as { message?: unknown } | undefined)?.message;
  const said = `HTTP ${f.status}${typeof message === "string" ? `: ${quoteBody(message)}` : ""}`;
  if (f.status === 429) {
    const period = Number(f.headers?.get("x-ratelimit-period"));
    const retryAfterMs = f.retryAfterMs ?? (period > 0 ? period * 1000 : undefined);
    return { kind: "rate-limited", reason: `NS1's request limit for this key is spent (${said})`, ...(retryAfterMs ? { retryAfterMs } : {}) };
  }
  if (f.reason !== "http" || typeof message !== "string") return undefined;
  if (f.status === 401) return { kind: "auth", reason: `NS1 refused the API key (${said}); check DDNS_PROVIDER_API_TOKEN: an NS1 API key, from an allowed address if the key has an IP allow list` };
  if (f.status === 403) return { kind: "auth", reason: `NS1 refused the ${f.method} (${said}); the API key in DDNS_PROVIDER_API_TOKEN needs the DNS permissions "View zones" and "Manage zones" for this zone` };
  if (f.status === 404 && /zone not found/i.test(message)) return { kind: "config", tag: "stale-zone", reason: `NS1 no longer has the zone (${said})` };
  if (f.status === 400 && /already exists/i.test(message)) return { kind: "transient", tag: "conflict", reason: `NS1 refused to create the record (${said}): it was created meanwhile, by hand or by another tool` };
  if (f.status === 400) return { kind: "config", reason: `NS1 refused the record (${said}); check DDNS_RECORD_TTL` };
  return undefined;
}

export function ns1Api(s: { token: string; apiUrl: string }, deps: ProviderDeps): RrsetApi<NZone> {
  const api = createRestApi(deps, { service: "NS1", baseUrl: s.apiUrl, headers: { "X-NSONE-Key": s.token }, secrets: [s.token], explain, errorText: (f) => (f.json as { message?: string } | undefined)?.message });
  const path = (zone: NZone, name: string, type: string) => `/zones/${zone.name}/${name}/${type}`;
  const answers = (values: string[]) => values.map((value) => ({ answer: [value] }));
  return {
    service: "NS1",
    zoneFix: "add the zone to the NS1 account the API key belongs to (or give the key access to it)",
    defaultTtl: (zone) => zone.ttl,
    deletesSets: true,
    zones: createZoneFinder<NZone>({
      now: deps.now,
      // The key's zones, listed once (a lookup per suffix would put record names into URLs and messages).
      list: (signal) =>
        collectPages<NZone>(async (_page, cursor) => {
          const answer = await api.callWithHeaders("GET", cursor ?? "/zones", { signal });
          if (!answer.ok) return answer;
          const zones = shaped(ok(answer.value.value), ZONES, "NS1's zone list");
          if (!zones.ok) return zones;
          const next = nextLink(answer.value.headers, { service: "NS1", baseUrl: s.apiUrl, current: cursor ?? `${s.apiUrl.replace(/\/+$/, "")}/zones` });
          if (!next.ok) return next;
          return ok({ items: zones.value.map((z) => ({ name: z.zone.toLowerCase(), ttl: z.ttl ?? 3600 })), next: next.value });
        }, { service: "NS1", cursor: true }),
    }),
    async read(zone, name, type, signal) {
      const answer = await api.call("GET", path(zone, name, type), { signal, missingOk: true });
      if (answer.ok && answer.value === undefined) return ok(undefined);
      return mapAnswer(shaped(answer, RECORD, "NS1's record"), (r) => ({ values: r.answers.map((a) => a.answer.join(" ")), ttl: r.ttl }));
    },
    async write(zone, [c], signal) {
      if (!c) return ok(undefined);
      // A change with no values deletes the set (DDNS_DELETE_ON_STOP): the SDK's `DELETE` on the record's path; a 404
      // "record not found" is a record already gone.
      if (c.values.length === 0) return mapAnswer(await api.call("DELETE", path(zone, c.name, c.type), { signal, missingOk: true }), () => undefined);
      const body = c.previous ? { answers: answers(c.values), ttl: c.ttl } : { zone: zone.name, domain: c.name, type: c.type, answers: answers(c.values), ttl: c.ttl };
      return mapAnswer(await api.call(c.previous ? "POST" : "PUT", path(zone, c.name, c.type), { body, signal }), () => undefined);
    },
  };
}
