import { isIPv4, isIPv6 } from "node:net";
import * as v from "valibot";
import { json, startFakeService, type FakeService, type Route } from "../kit/fake-service.ts";
import { createZoneStore, type StoredRecord, type ZoneStore } from "../kit/zone-store.ts";

/**
 * A strict fake of bunny.net's core API for DNS (https://api.bunny.net), written on 2026-12-02 from bunny.net's API
 * reference (docs.bunny.net/api-reference/core/dns-zone and docs.bunny.net/reference/dnszonepublic_*: the
 * `AccessKey` header; `GET /dnszone` "List DNS Zones" with `page`, `perPage` and `search`, answering `{Items,
 * CurrentPage, TotalItems, HasMoreItems}`; `GET /dnszone/{id}` a zone with its `Records`; `PUT /dnszone/{zoneId}/records`
 * "Add DNS Record" with `{Type, Ttl, Value, Name, …, Comment}` answering the record with its `Id`; `POST
 * /dnszone/{zoneId}/records/{id}` "Update DNS Record"; `DELETE` the same path; record types as integers, A 0 and AAAA 1;
 * the error body `{ErrorKey, Field, Message}`) and cross-checked against go-acme/lego providers/dns/bunny (names
 * relative to the zone, "" the apex; zones found among the account's listed zones).
 * Left open by what could be read, so the fake picks the strict side:
 * - the refusals: 401 `{"Message": "Authorization has been denied for this request."}` for a missing or unknown key,
 *   404 `dnszone.not_found` / `dnsrecord.not_found`, 400 `validation_error` naming the `Field`;
 * - bodies: only `Id` (update), `Type`, `Name`, `Value`, `Ttl` and `Comment` are accepted (bunny takes more —
 *   weights, pull zones, monitoring — which ddnsd never sends); an update must carry all of them, as the add does;
 *   names must be lower case and relative; A values IPv4, AAAA values IPv6; TTL at least 15 (none documented);
 * - `perPage` is 5…1000 (what the reference's parameter allows); the fake cuts a larger one to 1000.
 */
export interface FakeBunnyOptions {
  keys: string[];
  zones: string[];
}

export interface FakeBunny extends FakeService {
  store: ZoneStore;
  read(name: string, type: string): string[];
  edit(name: string, type: string, contents: string[], ttl?: number): void;
}

const TYPE_NAMES: Record<number, string> = { 0: "A", 1: "AAAA", 2: "CNAME", 3: "TXT", 4: "MX" };
const error = (status: number, key: string, message: string, field = "") => json(status, { ErrorKey: key, Field: field, Message: message }, status === 429 ? { "Retry-After": "60" } : {});
const FIELDS = { Type: v.pipe(v.number(), v.integer()), Name: v.string(), Value: v.string(), Ttl: v.pipe(v.number(), v.integer()), Comment: v.optional(v.nullable(v.string())) };
const ADD = v.strictObject(FIELDS);
const UPDATE = v.strictObject({ Id: v.number(), ...FIELDS });

export async function startFakeBunny(o: FakeBunnyOptions): Promise<FakeBunny> {
  const store = createZoneStore(o.zones, (n) => String(9000 + n));
  const zoneIds = new Map(o.zones.map((z, i) => [String(100 + i), z]));
  const relative = (name: string, zone: string) => (name === zone ? "" : name.slice(0, -(zone.length + 1)));
  const typeNumber = (type: string) => Number(Object.entries(TYPE_NAMES).find(([, t]) => t === type)?.[0] ?? 3);
  const shown = (r: StoredRecord) => ({ Id: Number(r.id), Type: typeNumber(r.type), Ttl: r.ttl, Value: r.content, Name: relative(r.name, r.zone), Weight: 100, Priority: 0, Port: 0, Flags: 0, Tag: "", Accelerated: false, AcceleratedPullZoneId: 0, LinkName: "", IPGeoLocationInfo: null, GeolocationInfo: null, MonitorStatus: 0, MonitorType: 0, GeolocationLatitude: 0, GeolocationLongitude: 0, EnviromentalVariables: [], LatencyZone: null, SmartRoutingType: 0, Disabled: false, Comment: (r.extra.comment as string | undefined) ?? null, AutoSslIssuance: true });
  const zoneView = (id: string, zone: string) => ({ Id: Number(id), Domain: zone, Records: store.records(zone).map(shown), DateModified: "2026-12-01T00:00:00Z", DateCreated: "2026-01-01T00:00:00Z", NameserversDetected: true, CustomNameserversEnabled: false, Nameserver1: "kiki.bunny.net", Nameserver2: "coco.bunny.net", SoaEmail: "hostmaster@bunny.net", LoggingEnabled: false, DnsSecEnabled: false });
  const zoneOf = (id: string) => zoneIds.get(id) ?? error(404, "dnszone.not_found", "The requested DNS zone was not found");
  const refused = (zone: string, b: v.InferOutput<typeof ADD>) => {
    const type = TYPE_NAMES[b.Type];
    if (type === undefined) return error(400, "validation_error", "Unknown record type", "Type");
    if (b.Name !== b.Name.toLowerCase() || b.Name.endsWith(".") || b.Name === zone || b.Name.endsWith(`.${zone}`) || b.Name === "@") return error(400, "validation_error", "The name must be relative to the zone, in lower case", "Name");
    if (b.Ttl < 15) return error(400, "validation_error", "The TTL must be at least 15 seconds", "Ttl");
    if ((type === "A" && !isIPv4(b.Value)) || (type === "AAAA" && !isIPv6(b.Value))) return error(400, "validation_error", `The value is not a valid ${type} address`, "Value");
    return undefined;
  };
  const stored = (zone: string, b: v.InferOutput<typeof ADD>) => ({ name: b.Name === "" ? zone : `${b.Name}.${zone}`, type: TYPE_NAMES[b.Type]!, content: b.Value, ttl: b.Ttl, extra: b.Comment ? { comment: b.Comment } : { comment: undefined } });

  const routes: Route[] = [
    {
      method: "GET", path: "/dnszone", query: ["page", "perPage", "search"],
      handle: ({ query }) => {
        const page = Number(query.get("page") ?? 1);
        const perPage = Math.min(Number(query.get("perPage") ?? 1000), 1000);
        if (!Number.isInteger(page) || page < 1 || !Number.isInteger(perPage) || perPage < 5) return error(400, "validation_error", "page must be at least 1 and perPage at least 5", "perPage");
        const all = [...zoneIds];
        return json(200, { Items: all.slice((page - 1) * perPage, page * perPage).map(([id, z]) => zoneView(id, z)), CurrentPage: page, TotalItems: all.length, HasMoreItems: page * perPage < all.length });
      },
    },
    {
      method: "GET", path: "/dnszone/:id", query: [],
      handle: ({ params }) => {
        const zone = zoneOf(params.id!);
        return zone instanceof Response ? zone : json(200, zoneView(params.id!, zone));
      },
    },
    {
      method: "PUT", path: "/dnszone/:id/records", body: ADD, invalidStatus: 400, write: true,
      handle: ({ params, body }) => {
        const zone = zoneOf(params.id!);
        if (zone instanceof Response) return zone;
        const b = body as v.InferOutput<typeof ADD>;
        return refused(zone, b) ?? json(201, shown(store.add({ zone, ...stored(zone, b) })));
      },
    },
    {
      method: "POST", path: "/dnszone/:id/records/:record", body: UPDATE, invalidStatus: 400, write: true,
      handle: ({ params, body }) => {
        const zone = zoneOf(params.id!);
        if (zone instanceof Response) return zone;
        const held = store.byId(params.record!);
        const b = body as v.InferOutput<typeof UPDATE>;
        if (!held || held.zone !== zone) return error(404, "dnsrecord.not_found", "The requested DNS record was not found");
        if (String(b.Id) !== held.id) return error(400, "validation_error", "The Id does not match the record", "Id");
        const { Id: _, ...fields } = b;
        const no = refused(zone, fields);
        if (no) return no;
        store.update(held.id, stored(zone, fields));
        return new Response(null, { status: 204 });
      },
    },
    {
      method: "DELETE", path: "/dnszone/:id/records/:record", write: true,
      handle: ({ params }) => {
        const zone = zoneOf(params.id!);
        if (zone instanceof Response) return zone;
        const held = store.byId(params.record!);
        if (!held || held.zone !== zone) return error(404, "dnsrecord.not_found", "The requested DNS record was not found");
        store.remove(held.id);
        return new Response(null, { status: 204 });
      },
    },
  ];

  const fake = await startFakeService({
    name: "bunny.net API",
    basePath: "",
    error: (status, message) => (status === 400 || status === 422 ? error(400, "validation_error", message) : error(status, status === 404 ? "not_found" : "error", message)),
    routes,
    auth: (req) => (o.keys.includes(req.headers.get("accesskey") ?? "") ? undefined : json(401, { Message: "Authorization has been denied for this request." })),
  });
  return {
    ...fake,
    store,
    read: (name, type) => store.read(name, type),
    edit(name, type, contents, ttl = 300) {
      const zone = store.zoneOf(name);
      if (!zone) throw new Error(`fake bunny.net: no zone holds ${JSON.stringify(name)}`);
      for (const r of store.find(zone, name, type)) store.remove(r.id);
      for (const content of contents) store.add({ zone, name, type, content, ttl, extra: {} });
    },
  };
}
