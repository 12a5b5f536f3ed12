import { isIPv4, isIPv6 } from "node:net";
import * as v from "valibot";
import { bearerToken, json, startFakeService, type FakeService, type FakeServiceOptions, type Route } from "../kit/fake-service.ts";
import { servePage } from "../kit/pagination.ts";
import { createZoneStore, type StoredRecord, type ZoneStore } from "../kit/zone-store.ts";

/**
 * A strict fake of the DNSimple API v2 (identity, zones, zone records), written from DNSimple's documentation as read
 * on 2026-12-02: developer.dnsimple.com/v2 (authentication: `Authorization: Bearer`; "Identity" `GET /whoami` with
 * `account` for an account token and null for a user token; "Zones" and "Zone records": list with the exact `name`
 * and `type` filters, create, update by PATCH, delete with 204; "Pagination": `page`, `per_page` at most 100, the
 * `pagination` object; "Errors": `{ message, errors }`, 400 for validation; "Rate limiting": `X-RateLimit-Limit`,
 * `-Remaining`, `-Reset` in Unix seconds) and the official Go client (github.com/dnsimple/dnsimple-go,
 * dnsimple/zones_records.go: `{ data }` wrappers, `/{account}/zones/{zone}/records[/{id}]`, the record fields).
 * - A wrong token is 401 `{"message":"Authentication failed"}`; an account id the token does not belong to 404.
 * - Record names are relative ("" the apex); `ttl` is 3600 when none is given.
 * Left open or stricter than documented: the TTL minimum (the fake refuses below 60), unknown body fields (refused,
 * 400), unknown query parameters (refused, 400).
 */
export interface FakeDnsimpleOptions {
  /** Token → the account it belongs to, and whether it is a user token (whoami names no account then). */
  tokens: Record<string, { account: number; user?: boolean }>;
  zones: string[];
  maxPerPage?: number;
  rateLimit?: { limit: number; windowMs: number };
  extra?: FakeServiceOptions["extra"];
}

export interface FakeDnsimple extends FakeService {
  store: ZoneStore;
  read(name: string, type: string): string[];
  edit(name: string, type: string, contents: string[], ttl?: number): void;
}

const error = (status: number, message: string, errors?: Record<string, string[]>) => json(status, { message, ...(errors ? { errors } : {}) });
const TYPES = ["A", "AAAA", "ALIAS", "CAA", "CNAME", "HINFO", "MX", "NAPTR", "NS", "POOL", "PTR", "SPF", "SRV", "SSHFP", "TXT", "URL"] as const;
const fields = { name: v.string(), content: v.string(), ttl: v.optional(v.pipe(v.number(), v.integer())), priority: v.optional(v.number()), regions: v.optional(v.array(v.string())) };
const CreateBody = v.strictObject({ type: v.picklist(TYPES), ...fields });
const UpdateBody = v.strictObject(v.partial(v.object(fields)).entries);

export async function startFakeDnsimple(o: FakeDnsimpleOptions): Promise<FakeDnsimple> {
  const store = createZoneStore(o.zones, (n) => String(64_780 + n));
  const accounts = new Set(Object.values(o.tokens).map((t) => String(t.account)));
  const relative = (r: StoredRecord) => (r.name === r.zone ? "" : r.name.slice(0, -(r.zone.length + 1)));
  const absolute = (name: string, zone: string) => (name === "" ? zone : `${name}.${zone}`.toLowerCase());
  const shown = (r: StoredRecord) => ({ id: Number(r.id), zone_id: r.zone, parent_id: null, name: relative(r), content: r.content, ttl: r.ttl, priority: null, type: r.type, regions: ["global"], system_record: false, created_at: "2026-12-01T00:00:00Z", updated_at: "2026-12-01T00:00:00Z" });
  const pages = { defaultPerPage: 30, maxPerPage: Math.min(o.maxPerPage ?? 100, 100) };
  const listing = <T>(items: readonly T[], url: URL) => {
    const page = servePage(items, url, pages);
    return "invalid" in page ? error(400, page.invalid) : json(200, { data: page.items, pagination: { current_page: page.page, per_page: page.perPage, total_entries: page.total, total_pages: page.pages } });
  };
  const zoneOf = (p: Record<string, string>) => (accounts.has(p.account ?? "") && store.hasZone(p.zone ?? "") ? p.zone!.toLowerCase() : error(404, `Zone \`${p.zone}\` not found`));
  const recordOf = (p: Record<string, string>) => {
    const zone = zoneOf(p);
    if (zone instanceof Response) return zone;
    const record = store.byId(p.id ?? "");
    return record && record.zone === zone ? record : error(404, `Record \`${p.id}\` not found`);
  };
  const invalid = (type: string, content: string | undefined, ttl: number | undefined) =>
    (ttl !== undefined && ttl < 60) || (type === "A" && content !== undefined && !isIPv4(content)) || (type === "AAAA" && content !== undefined && !isIPv6(content))
      ? error(400, "Validation failed", ttl !== undefined && ttl < 60 ? { ttl: ["must be at least 60"] } : { content: [`is not a valid ${type === "A" ? "IPv4" : "IPv6"} address`] })
      : undefined;
  const origin = { url: "" };
  const url = (req: { path: string; query: URLSearchParams }) => new URL(`${origin.url}${req.path}?${req.query}`);
  let whoami: Record<string, unknown> = {};

  const routes: Route[] = [
    { method: "GET", path: "/whoami", handle: () => json(200, { data: whoami }) },
    {
      method: "GET",
      path: "/:account/zones",
      query: ["page", "per_page", "name_like", "sort"],
      handle: (req) => (accounts.has(req.params.account!) ? listing(store.zones().map((name, i) => ({ id: i + 1, account_id: Number(req.params.account), name, reverse: false })), url(req)) : error(404, "Account not found")),
    },
    {
      method: "GET",
      path: "/:account/zones/:zone/records",
      query: ["page", "per_page", "name", "name_like", "type", "sort"],
      handle: (req) => {
        const zone = zoneOf(req.params);
        if (zone instanceof Response) return zone;
        const name = req.query.get("name");
        const type = req.query.get("type");
        return listing(store.records(zone).filter((r) => (name === null || relative(r) === name.toLowerCase()) && (type === null || r.type === type)).map(shown), url(req));
      },
    },
    {
      method: "POST",
      path: "/:account/zones/:zone/records",
      body: CreateBody,
      invalidStatus: 400,
      write: true,
      handle: ({ params, body }) => {
        const zone = zoneOf(params);
        if (zone instanceof Response) return zone;
        const b = body as v.InferOutput<typeof CreateBody>;
        const refused = invalid(b.type, b.content, b.ttl);
        if (refused) return refused;
        return json(201, { data: shown(store.add({ zone, name: absolute(b.name, zone), type: b.type, content: b.content, ttl: b.ttl ?? 3600, extra: {} })) });
      },
    },
    {
      method: "PATCH",
      path: "/:account/zones/:zone/records/:id",
      body: UpdateBody,
      invalidStatus: 400,
      write: true,
      handle: ({ params, body }) => {
        const record = recordOf(params);
        if (record instanceof Response) return record;
        const b = body as v.InferOutput<typeof UpdateBody>;
        const refused = invalid(record.type, b.content, b.ttl);
        if (refused) return refused;
        store.update(record.id, { ...(b.content === undefined ? {} : { content: b.content }), ...(b.ttl === undefined ? {} : { ttl: b.ttl }), ...(b.name === undefined ? {} : { name: absolute(b.name, record.zone) }) });
        return json(200, { data: shown(store.byId(record.id)!) });
      },
    },
    {
      method: "DELETE",
      path: "/:account/zones/:zone/records/:id",
      write: true,
      handle: ({ params }) => {
        const record = recordOf(params);
        if (record instanceof Response) return record;
        store.remove(record.id);
        return new Response(null, { status: 204 });
      },
    },
  ];

  const fake = await startFakeService({
    name: "DNSimple API v2",
    basePath: "/v2",
    error: (status, message) => error(status, message),
    routes,
    rateLimit: {
      ...(o.rateLimit ?? { limit: 2400, windowMs: 3_600_000 }),
      message: "Rate limit exceeded",
      headers: (st) => ({ "x-ratelimit-limit": String(st.limit), "x-ratelimit-remaining": String(st.remaining), "x-ratelimit-reset": String(Math.ceil(st.resetAt / 1000)) }),
    },
    ...(o.extra ? { extra: o.extra } : {}),
    auth(req, path) {
      const token = bearerToken(req);
      const owner = token === undefined ? undefined : o.tokens[token];
      if (!owner) return error(401, "Authentication failed");
      whoami = owner.user ? { account: null, user: { id: 1, email: "user@example.com" } } : { account: { id: owner.account, email: "ops@example.com", plan_identifier: "teams-v1-monthly" }, user: null };
      const account = /^\/(\d+)\//.exec(path)?.[1];
      return account !== undefined && account !== String(owner.account) ? error(404, "Account not found") : undefined;
    },
  });
  origin.url = fake.url;
  return {
    ...fake,
    store,
    read: (name, type) => store.read(name, type),
    edit(name, type, contents, ttl = 3600) {
      const zone = store.zoneOf(name);
      if (!zone) throw new Error(`fake DNSimple: no zone holds ${JSON.stringify(name)}`);
      for (const r of store.find(zone, name, type)) store.remove(r.id);
      for (const content of contents) store.add({ zone, name, type, content, ttl, extra: {} });
    },
  };
}
