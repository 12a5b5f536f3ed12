import { isIPv4, isIPv6 } from "node:net";
import * as v from "valibot";
import { bearerAuth, json, startFakeService, type FakeService, type FakeServiceOptions, type Route } from "../kit/fake-service.ts";
import { createZoneStore, type StoredRecord, type ZoneStore } from "../kit/zone-store.ts";

/**
 * A strict fake of the Vultr API v2, DNS domains and records, written from Vultr's documentation as read on
 * 2026-12-02: the API reference's introduction (www.vultr.com/api: Bearer API keys, cursor pagination with `per_page`
 * and `cursor`, `meta.total` and `meta.links.next`/`prev`, "more than 30 requests per second" from one address
 * answered 429), the vultr-cli reference (docs.vultr.com/reference/vultr-cli/dns/record/list: per page "Default is
 * 100 and Max is 500") and the official Go SDK (github.com/vultr/govultr at 9ee451b of 2026-07-20: domain_records.go,
 * domains.go, meta.go — paths `/v2/domains/{domain}/records[/{id}]`, the record `{ id, type, name, data, priority,
 * ttl }`, `{ record }` answering a create, PATCH for updates, DELETE, `{ records, meta }` and `{ domains, meta }`).
 * - Auth: `Authorization: Bearer <key>`, else 401. Keys have no scopes; a key's access control (allowed
 *   addresses) refuses other hosts with 401 as well (`deniedAddress`). Record names are relative ("" at the apex).
 * - Creates answer 201 `{ record }`; updates and deletes 204 with no body; an unknown domain or record 404.
 * The docs leave open: the error body (the fake answers `{ "error": "…", "status": n }`, its texts its own; the provider quotes
 * `error` when there is one and otherwise uses the kit's words), the TTL range (the fake takes any positive
 * integer; 300 when none is given), whether unknown fields are refused (the fake refuses them, 400), and the cursor's
 * form (the fake's is opaque base64; an unknown one is refused, 400).
 */
export interface FakeVultrOptions {
  keys: string[];
  zones: string[];
  maxPerPage?: number;
  /** Answer 401 as the access control does for a host it does not allow. */
  deniedAddress?: boolean;
  extra?: FakeServiceOptions["extra"];
}

export interface FakeVultr extends FakeService {
  store: ZoneStore;
  read(name: string, type: string): string[];
  edit(name: string, type: string, contents: string[], ttl?: number): void;
}

const error = (status: number, message: string) => json(status, { error: message, status });
const TYPES = ["A", "AAAA", "CNAME", "NS", "MX", "SRV", "TXT", "CAA", "SSHFP"] as const;
const fields = { name: v.string(), data: v.string(), ttl: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))), priority: v.optional(v.number()) };
const CreateBody = v.strictObject({ type: v.picklist(TYPES), ...fields });
const UpdateBody = v.strictObject(v.partial(v.object(fields)).entries);
const cursorOf = (offset: number) => Buffer.from(`next__${offset}`).toString("base64");

export async function startFakeVultr(o: FakeVultrOptions): Promise<FakeVultr> {
  const store = createZoneStore(o.zones, (n) => `cb676a46-66fd-4dfb-b839-${String(443_355_000_000 + n)}`);
  for (const zone of o.zones) store.add({ zone, name: zone, type: "NS", content: "ns1.vultr.com", ttl: 300, extra: {} });
  const maxPerPage = Math.min(o.maxPerPage ?? 500, 500);
  const relative = (r: StoredRecord) => (r.name === r.zone ? "" : r.name.slice(0, -(r.zone.length + 1)));
  const absolute = (name: string, zone: string) => (name === "" || name === "@" ? zone : `${name}.${zone}`.toLowerCase());
  const shown = (r: StoredRecord) => ({ id: r.id, type: r.type, name: relative(r), data: r.content, priority: -1, ttl: r.ttl });
  const listing = <T>(key: string, items: readonly T[], query: URLSearchParams) => {
    const asked = query.get("per_page");
    if (asked !== null && !/^[1-9][0-9]*$/.test(asked)) return error(400, "per_page must be a positive integer");
    const size = Math.min(Number(asked ?? 100), maxPerPage);
    const cursor = query.get("cursor");
    const offset = cursor === null ? 0 : Number(/^next__(\d+)$/.exec(Buffer.from(cursor, "base64").toString())?.[1] ?? NaN);
    if (!Number.isInteger(offset)) return error(400, "Invalid cursor");
    const next = offset + size < items.length ? cursorOf(offset + size) : "";
    const prev = offset > 0 ? Buffer.from(`prev__${offset}`).toString("base64") : "";
    return json(200, { [key]: items.slice(offset, offset + size), meta: { total: items.length, links: { next, prev } } });
  };
  const badData = (type: string, data: string | undefined) =>
    (type === "A" && data !== undefined && !isIPv4(data)) || (type === "AAAA" && data !== undefined && !isIPv6(data)) ? error(400, `Invalid data for an ${type} record`) : undefined;
  const notFound = () => error(404, "Not found");
  const recordOf = (p: Record<string, string>) => {
    const record = store.byId(p.id ?? "");
    return record && record.zone === p.domain ? record : notFound();
  };

  const routes: Route[] = [
    { method: "GET", path: "/domains", query: ["per_page", "cursor"], handle: ({ query }) => listing("domains", store.zones().map((domain) => ({ domain, date_created: "2026-01-01T00:00:00+00:00", dns_sec: "disabled" })), query) },
    {
      method: "GET",
      path: "/domains/:domain/records",
      query: ["per_page", "cursor"],
      handle: ({ params, query }) => (store.hasZone(params.domain!) ? listing("records", store.records(params.domain!).map(shown), query) : notFound()),
    },
    {
      method: "POST",
      path: "/domains/:domain/records",
      body: CreateBody,
      invalidStatus: 400,
      write: true,
      handle: ({ params, body }) => {
        const b = body as v.InferOutput<typeof CreateBody>;
        if (!store.hasZone(params.domain!)) return notFound();
        const refused = badData(b.type, b.data);
        if (refused) return refused;
        return json(201, { record: shown(store.add({ zone: params.domain!, name: absolute(b.name, params.domain!), type: b.type, content: b.data, ttl: b.ttl ?? 300, extra: {} })) });
      },
    },
    {
      method: "PATCH",
      path: "/domains/:domain/records/:id",
      body: UpdateBody,
      invalidStatus: 400,
      write: true,
      handle: ({ params, body }) => {
        const record = recordOf(params);
        if (record instanceof Response) return record;
        const b = body as v.InferOutput<typeof UpdateBody>;
        const refused = badData(record.type, b.data);
        if (refused) return refused;
        store.update(record.id, { ...(b.data === undefined ? {} : { content: b.data }), ...(b.ttl === undefined ? {} : { ttl: b.ttl }), ...(b.name === undefined ? {} : { name: absolute(b.name, record.zone) }) });
        return new Response(null, { status: 204 });
      },
    },
    {
      method: "DELETE",
      path: "/domains/:domain/records/:id",
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
    name: "Vultr API v2",
    basePath: "/v2",
    error,
    routes,
    ...(o.extra ? { extra: o.extra } : {}),
    auth: (req) => (o.deniedAddress ? error(401, "Unauthorized IP address: 127.0.0.1") : bearerAuth(o.keys, () => error(401, "Invalid API token."))(req)),
  });
  return {
    ...fake,
    store,
    read: (name, type) => store.read(name, type),
    edit(name, type, contents, ttl = 300) {
      const zone = store.zoneOf(name);
      if (!zone) throw new Error(`fake Vultr: no domain holds ${JSON.stringify(name)}`);
      for (const r of store.find(zone, name, type)) store.remove(r.id);
      for (const content of contents) store.add({ zone, name, type, content, ttl, extra: {} });
    },
  };
}
