import { isIPv4, isIPv6 } from "node:net";
import * as v from "valibot";
import { json, startFakeService, type FakeService, type FakeServiceOptions, type Route } from "../kit/fake-service.ts";
import { servePage } from "../kit/pagination.ts";
import { createZoneStore, type StoredRecord, type ZoneStore } from "../kit/zone-store.ts";

/**
 * A strict fake of the Name.com API v4, domains and DNS records, written from Name.com's official clients as read
 * on 2026-12-02: namedotcom/go (namecom/dns.pb.go, dns.go, namecom.go at 162904f: Basic auth with user name and
 * token, `/v4/domains/{domain}/records[/{id}]`, PUT "replaces the record") and the generated namedotcom/
 * core-api-typescript (Record_, ListRecordsResponse, ListDomainsResponse, DnsCreateRecordBody,
 * DnsUpdateRecordBody, NotFound404, TooManyRequestsErrorBody at b15215b; it speaks the newer /core/v1 paths with
 * the same shapes).
 * - Auth: `Authorization: Basic base64(user:token)`, else 401 `{ "message": "Unauthenticated" }` (the words are not
 *   in the sources); a user whose API access is off gets 403 `{ "message": "Permission Denied", "details": … }`.
 * - Records: integer `id`, `domainName`, `host` relative ("" the apex; "@" accepted on writes), `fqdn` with the
 *   trailing dot, `type` (A, AAAA, ANAME, CNAME, MX, NS, SRV, TXT), `answer`, `ttl` ("a minimum TTL of 300"; 300
 *   when not given), `priority`. Create → 200 the record; PUT replaces host, type, answer, ttl (ttl falls back to
 *   300 when left out); DELETE → 200 `{}`; an unknown id → 404 `{ message: "Not Found" }`.
 * - Lists: `page`, `perPage` (default 1000; `maxPerPage` lowers it so tests page), `totalCount`, `from`, `to`, and
 *   `nextPage`/`lastPage` only while another page follows. `/domains` lists `{ domainName, … }`.
 * - 429 `{ message }` with `X-RateLimit-Reset` (UTC epoch seconds).
 * Stricter than documented (the sources are silent): unknown query parameters (400) and body fields (400
 * `{ message: "Invalid Argument", details }`) are refused; a PUT must not change the type.
 */
export interface FakeNamecomOptions {
  /** User name → token. */
  users: Record<string, string>;
  /** Users whose API access is switched off (403). */
  blocked?: string[];
  zones: string[];
  maxPerPage?: number;
  rateLimit?: { limit: number; windowMs: number };
  extra?: FakeServiceOptions["extra"];
}

export interface FakeNamecom extends FakeService {
  store: ZoneStore;
  read(name: string, type: string): string[];
  edit(name: string, type: string, contents: string[], ttl?: number): void;
}

const error = (status: number, message: string, details?: string) => json(status, { message, ...(details === undefined ? {} : { details }) });
const TYPES = ["A", "AAAA", "ANAME", "CNAME", "MX", "NS", "SRV", "TXT"] as const;
const fields = {
  host: v.string(),
  type: v.picklist(TYPES),
  answer: v.string(),
  ttl: v.optional(v.pipe(v.number(), v.integer(), v.minValue(300, "ttl must be at least 300"))),
  priority: v.optional(v.number()),
  fqdn: v.optional(v.string()),
  domainName: v.optional(v.string()),
  id: v.optional(v.number()),
};
const RecordBody = v.strictObject(fields);

export async function startFakeNamecom(o: FakeNamecomOptions): Promise<FakeNamecom> {
  const store = createZoneStore(o.zones, (n) => String(245_000 + n));
  const pages = { defaultPerPage: 1000, maxPerPage: o.maxPerPage ?? 1000, perPageParam: "perPage" };
  const hostOf = (r: StoredRecord) => (r.name === r.zone ? "" : r.name.slice(0, -(r.zone.length + 1)));
  const shown = (r: StoredRecord) => ({ id: Number(r.id), domainName: r.zone, ...(hostOf(r) ? { host: hostOf(r) } : {}), fqdn: `${r.name}.`, type: r.type, answer: r.content, ttl: r.ttl });
  const nameOf = (host: string, zone: string) => (host === "" || host === "@" ? zone : `${host.toLowerCase()}.${zone}`);
  const listing = <T>(key: string, items: readonly T[], url: URL) => {
    const page = servePage(items, url, pages);
    if ("invalid" in page) return error(400, "Invalid Argument", page.invalid);
    const more = page.page < page.pages;
    const from = (page.page - 1) * page.perPage + 1;
    return json(200, { [key]: page.items, ...(more ? { nextPage: page.page + 1, lastPage: page.pages } : {}), totalCount: page.total, from, to: from + page.items.length - 1 });
  };
  const badAnswer = (type: string, answer: string) =>
    (type === "A" && !isIPv4(answer)) || (type === "AAAA" && !isIPv6(answer)) ? error(400, "Invalid Argument", `answer ${JSON.stringify(answer)} is not a valid ${type === "A" ? "IPv4" : "IPv6"} address`) : undefined;
  const notFound = () => error(404, "Not Found");
  const recordOf = (p: Record<string, string>) => {
    const record = /^[0-9]+$/.test(p.id ?? "") ? store.byId(p.id!) : undefined;
    return record && record.zone === p.domain ? record : undefined;
  };
  const urlOf = (req: { path: string; query: URLSearchParams }) => new URL(`${fake.url}${req.path}?${req.query}`);

  const routes: Route[] = [
    { method: "GET", path: "/domains", query: ["page", "perPage"], handle: (req) => listing("domains", store.zones().map((domainName) => ({ domainName, locked: true, autorenewEnabled: true })), urlOf(req)) },
    {
      method: "GET",
      path: "/domains/:domain/records",
      query: ["page", "perPage"],
      handle: (req) => (store.hasZone(req.params.domain!) ? listing("records", store.records(req.params.domain!).map(shown), urlOf(req)) : notFound()),
    },
    {
      method: "POST",
      path: "/domains/:domain/records",
      body: RecordBody,
      invalidStatus: 400,
      write: true,
      handle: ({ params, body }) => {
        const zone = params.domain!;
        if (!store.hasZone(zone)) return notFound();
        const b = body as v.InferOutput<typeof RecordBody>;
        return badAnswer(b.type, b.answer) ?? json(200, shown(store.add({ zone, name: nameOf(b.host, zone), type: b.type, content: b.answer, ttl: b.ttl ?? 300, extra: {} })));
      },
    },
    {
      method: "PUT",
      path: "/domains/:domain/records/:id",
      body: RecordBody,
      invalidStatus: 400,
      write: true,
      handle: ({ params, body }) => {
        const record = recordOf(params);
        if (!record) return notFound();
        const b = body as v.InferOutput<typeof RecordBody>;
        if (b.type !== record.type) return error(400, "Invalid Argument", `type cannot be changed from ${record.type}`);
        return badAnswer(b.type, b.answer) ?? json(200, shown(store.update(record.id, { name: nameOf(b.host, record.zone), content: b.answer, ttl: b.ttl ?? 300 })!));
      },
    },
    {
      method: "DELETE",
      path: "/domains/:domain/records/:id",
      write: true,
      handle: ({ params }) => {
        const record = recordOf(params);
        if (!record) return notFound();
        store.remove(record.id);
        return json(200, {});
      },
    },
  ];

  const fake = await startFakeService({
    name: "Name.com API v4",
    basePath: "/v4",
    error: (status, message) => (status === 422 || status === 400 ? error(400, "Invalid Argument", message) : error(status, message)),
    routes,
    ...(o.extra ? { extra: o.extra } : {}),
    rateLimit: {
      ...(o.rateLimit ?? { limit: 3000, windowMs: 3_600_000 }),
      message: "Too Many Requests",
      headers: (st): Record<string, string> => (st.remaining > 0 ? {} : { "x-ratelimit-reset": String(Math.ceil(st.resetAt / 1000)) }),
    },
    auth(req) {
      const m = /^basic ([A-Za-z0-9+/=]+)$/i.exec(req.headers.get("authorization") ?? "");
      const [user, ...rest] = m ? atob(m[1]!).split(":") : [];
      if (user === undefined || o.users[user] === undefined || o.users[user] !== rest.join(":")) return error(401, "Unauthenticated");
      return o.blocked?.includes(user) ? error(403, "Permission Denied", "API access is not enabled for this account") : undefined;
    },
  });
  return {
    ...fake,
    store,
    read: (name, type) => store.read(name, type),
    edit(name, type, contents, ttl = 300) {
      const zone = store.zoneOf(name);
      if (!zone) throw new Error(`fake Name.com: no domain holds ${JSON.stringify(name)}`);
      for (const r of store.find(zone, name, type)) store.remove(r.id);
      for (const content of contents) store.add({ zone, name, type, content, ttl, extra: {} });
    },
  };
}
