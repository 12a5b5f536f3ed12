import { isIPv4, isIPv6 } from "node:net";
import * as v from "valibot";
import { bearerToken, json, startFakeService, type FakeService, type FakeServiceOptions, type Route } from "../kit/fake-service.ts";
import { createZoneStore, type StoredRecord, type ZoneStore } from "../kit/zone-store.ts";

/**
 * A strict fake of the Vercel REST API, domains and DNS records, written from Vercel's REST API reference as read on
 * 2026-12-02 (vercel.com/docs/rest-api/dns, list-existing-dns-records of 2026-11-12, domains/list-all-the-domains)
 * and the official SDK's generated models (github.com/vercel/sdk src/models: getrecordsop.ts, createrecordop.ts,
 * updaterecordop.ts, pagination.ts), cross-checked with go-acme/lego's providers/dns/vercel (Bearer, teamId query,
 * create → `{ uid }`, error `{ error: { code, message } }`).
 * - Auth: `Authorization: Bearer <token>`; a token may act for its teams only (`teamId` query), else 403.
 * - `GET /v5/domains` and `GET /v5/domains/{domain}/records`: `limit` (default 20; `maxPerPage` lowers the most
 *   so tests page), `until` (a JavaScript timestamp: items created before it), `since`, `teamId`, `slug`; answers
 *   `{ domains | records, pagination: { count, next, prev } }`, newest first, `next` null on the last page.
 * - Records: string `id`, `slug`, `name` relative ("" the apex), `type`, `value`, `ttl` (60…2147483647, 60 when not
 *   given), `comment`, `creator`, `created`/`createdAt`/`updated`/`updatedAt`. `POST /v2/domains/{domain}/records`
 *   → `{ uid, updated }`; `PATCH /v1/domains/records/{recordId}` (name, value, type, ttl, mxPriority, srv, https,
 *   comment; all optional) → the record with `recordType`; `DELETE /v2/domains/{domain}/records/{recordId}` → `{}`.
 * The sources are silent on: the refusal bodies' words (the fake: 403 `forbidden` "Not authorized" with
 * `invalidToken: true` for an unknown token, 404 `not_found`, 400 `invalid_value`), the rate limit (the fake sends
 * `X-RateLimit-Limit`/`-Remaining`/`-Reset` in Unix seconds), unknown query parameters and body fields (refused:
 * 400 `bad_request`).
 */
export interface FakeVercelOptions {
  /** Token → the team ids it may act for ("" = the personal account). */
  tokens: Record<string, string[]>;
  /** Zone → its owner ("" = the personal account, else a team id). */
  zones: Record<string, string>;
  maxPerPage?: number;
  rateLimit?: { limit: number; windowMs: number };
  extra?: FakeServiceOptions["extra"];
}

export interface FakeVercel extends FakeService {
  store: ZoneStore;
  read(name: string, type: string): string[];
  edit(name: string, type: string, contents: string[], ttl?: number): void;
}

const CODES: Record<number, string> = { 400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_unknown", 415: "bad_request", 422: "bad_request", 429: "rate_limited" };
const error = (status: number, message: string, extra: Record<string, unknown> = {}) => json(status, { error: { code: CODES[status] ?? "internal_server_error", message, ...extra } });
const TYPES = ["A", "AAAA", "ALIAS", "CAA", "CNAME", "HTTPS", "MX", "SRV", "TXT", "NS"] as const;
const ttl = v.optional(v.pipe(v.number(), v.integer(), v.minValue(60, "ttl must be between 60 and 2147483647"), v.maxValue(2_147_483_647)));
const CreateBody = v.strictObject({ name: v.string(), type: v.picklist(TYPES), ttl, value: v.string(), comment: v.optional(v.pipe(v.string(), v.maxLength(500))) });
const UpdateBody = v.strictObject({
  name: v.optional(v.nullable(v.string())),
  value: v.optional(v.nullable(v.string())),
  type: v.optional(v.nullable(v.picklist(TYPES))),
  ttl: v.optional(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(60)))),
  mxPriority: v.optional(v.nullable(v.number())),
  comment: v.optional(v.pipe(v.string(), v.maxLength(500))),
});
const LIST = ["limit", "since", "until", "teamId", "slug"];

export async function startFakeVercel(o: FakeVercelOptions): Promise<FakeVercel> {
  const store = createZoneStore(Object.keys(o.zones), (n) => `rec_${n.toString(36).padStart(20, "0")}`);
  let clock = 1_700_000_000_000;
  const stamp = () => (clock += 1000);
  const add = (r: Omit<StoredRecord, "id" | "extra"> & { comment?: string }) => store.add({ ...r, extra: { created: stamp(), ...(r.comment === undefined ? {} : { comment: r.comment }) } });
  const created = (r: StoredRecord) => r.extra.created as number;
  const hostOf = (r: StoredRecord) => (r.name === r.zone ? "" : r.name.slice(0, -(r.zone.length + 1)));
  const shown = (r: StoredRecord) => ({ id: r.id, slug: `${hostOf(r)}.${r.zone}-${r.type.toLowerCase()}`, name: hostOf(r), type: r.type, value: r.content, creator: "system", created: created(r), updated: created(r), createdAt: created(r), updatedAt: created(r), ttl: r.ttl, ...(typeof r.extra.comment === "string" ? { comment: r.extra.comment } : {}) });
  const nameOf = (name: string, zone: string) => (name === "" || name === "@" ? zone : `${name.toLowerCase()}.${zone}`);
  const teamOf = (q: URLSearchParams) => q.get("teamId") ?? "";
  /** The zone `domain` as the scope of the request sees it, or the answer why not. */
  const zoneIn = (domain: string | undefined, q: URLSearchParams) => (domain !== undefined && o.zones[domain] === teamOf(q) ? domain : undefined);
  const listing = <T>(key: string, items: Array<{ at: number; item: T }>, q: URLSearchParams) => {
    const limit = q.get("limit") === null ? 20 : Number(q.get("limit"));
    if (!Number.isInteger(limit) || limit < 1) return error(400, "Invalid limit");
    const until = q.get("until") === null ? Infinity : Number(q.get("until"));
    const newest = items.filter((i) => i.at < until).sort((a, b) => b.at - a.at);
    const page = newest.slice(0, Math.min(limit, o.maxPerPage ?? 100));
    const more = newest.length > page.length;
    return json(200, { [key]: page.map((i) => i.item), pagination: { count: page.length, next: more ? page.at(-1)!.at : null, prev: page[0]?.at ?? null } });
  };
  const badValue = (type: string, value: string) =>
    (type === "A" && !isIPv4(value)) || (type === "AAAA" && !isIPv6(value)) ? error(400, `The record value must be a valid ${type === "A" ? "IPv4" : "IPv6"} address`, { code: "invalid_value" }) : undefined;
  const notFound = (what: string) => error(404, `${what} not found`);

  const routes: Route[] = [
    { method: "GET", path: "/v5/domains", query: LIST, handle: ({ query }) => listing("domains", Object.keys(o.zones).filter((z) => o.zones[z] === teamOf(query)).map((name, i) => ({ at: 1_600_000_000_000 + i, item: { id: `dom_${i}`, name, serviceType: "zeit.world" } })), query) },
    {
      method: "GET",
      path: "/v5/domains/:domain/records",
      query: LIST,
      handle: ({ params, query }) => {
        const zone = zoneIn(params.domain, query);
        return zone ? listing("records", store.records(zone).map((r) => ({ at: created(r), item: shown(r) })), query) : notFound("Domain");
      },
    },
    {
      method: "POST",
      path: "/v2/domains/:domain/records",
      query: ["teamId", "slug"],
      body: CreateBody,
      invalidStatus: 400,
      write: true,
      handle: ({ params, query, body }) => {
        const zone = zoneIn(params.domain, query);
        if (!zone) return notFound("Domain");
        const b = body as v.InferOutput<typeof CreateBody>;
        const refused = badValue(b.type, b.value);
        if (refused) return refused;
        const r = add({ zone, name: nameOf(b.name, zone), type: b.type, content: b.value, ttl: b.ttl ?? 60, ...(b.comment === undefined ? {} : { comment: b.comment }) });
        return json(200, { uid: r.id, updated: created(r) });
      },
    },
    {
      method: "PATCH",
      path: "/v1/domains/records/:id",
      query: ["teamId", "slug"],
      body: UpdateBody,
      invalidStatus: 400,
      write: true,
      handle: ({ params, query, body }) => {
        const record = store.byId(params.id!);
        if (!record || !zoneIn(record.zone, query)) return notFound("Record");
        const b = body as v.InferOutput<typeof UpdateBody>;
        if (b.type && b.type !== record.type) return error(400, `type cannot be changed from ${record.type}`);
        const refused = typeof b.value === "string" ? badValue(record.type, b.value) : undefined;
        if (refused) return refused;
        store.update(record.id, { ...(typeof b.value === "string" ? { content: b.value } : {}), ...(typeof b.ttl === "number" ? { ttl: b.ttl } : {}), ...(typeof b.name === "string" ? { name: nameOf(b.name, record.zone) } : {}) });
        if (b.comment !== undefined) record.extra.comment = b.comment;
        const r = store.byId(record.id)!;
        return json(200, { id: r.id, name: hostOf(r), recordType: r.type, type: "record", value: r.content, ttl: r.ttl, creator: "system", domain: r.zone, createdAt: created(r), ...(typeof r.extra.comment === "string" ? { comment: r.extra.comment } : {}) });
      },
    },
    {
      method: "DELETE",
      path: "/v2/domains/:domain/records/:id",
      query: ["teamId", "slug"],
      write: true,
      handle: ({ params, query }) => {
        const zone = zoneIn(params.domain, query);
        const record = store.byId(params.id!);
        if (!zone || !record || record.zone !== zone) return notFound("Record");
        store.remove(record.id);
        return json(200, {});
      },
    },
  ];

  const fake = await startFakeService({
    name: "Vercel REST API",
    basePath: "",
    error: (status, message) => error(status, message),
    routes,
    ...(o.extra ? { extra: o.extra } : {}),
    rateLimit: {
      ...(o.rateLimit ?? { limit: 1000, windowMs: 60_000 }),
      message: "Rate limit exceeded",
      headers: (st) => ({ "x-ratelimit-limit": String(st.limit), "x-ratelimit-remaining": String(st.remaining), "x-ratelimit-reset": String(Math.ceil(st.resetAt / 1000)) }),
    },
    auth(req) {
      const token = bearerToken(req);
      const teams = token === undefined ? undefined : o.tokens[token];
      if (!teams) return error(403, "Not authorized", { invalidToken: true });
      return teams.includes(new URL(req.url).searchParams.get("teamId") ?? "") ? undefined : error(403, "Not authorized");
    },
  });
  return {
    ...fake,
    store,
    read: (name, type) => store.read(name, type),
    edit(name, type, contents, ttlOf = 60) {
      const zone = store.zoneOf(name);
      if (!zone) throw new Error(`fake Vercel: no domain holds ${JSON.stringify(name)}`);
      for (const r of store.find(zone, name, type)) store.remove(r.id);
      for (const content of contents) add({ zone, name, type, content, ttl: ttlOf });
    },
  };
}
