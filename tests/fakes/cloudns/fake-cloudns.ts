import { isIPv4, isIPv6 } from "node:net";
import { json, startFakeService, type FakeRequest, type FakeService, type Route } from "../kit/fake-service.ts";
import { absolute, createZoneStore, type StoredRecord, type ZoneStore } from "../kit/zone-store.ts";

/**
 * A strict fake of the ClouDNS HTTP API (https://api.cloudns.net/dns/), written on 2026-12-02 from ClouDNS's API
 * documentation (cloudns.net/wiki/article/41/ and the articles it links: credentials as the query parameters
 * `auth-id` — or `sub-auth-id` / `sub-auth-user` for a sub-user — and `auth-password`, GET or POST alike, JSON
 * answers; `list-zones.json` with `page` and `rows-per-page` of 10, 20, 30, 50 or 100; `records.json` with
 * `domain-name` and the optional `host`/`type`, an object keyed by record id; `add-record.json`, `mod-record.json`,
 * `delete-record.json`; refusals as HTTP 200 `{"status": "Failed", "statusDescription": …}`; the TTLs it accepts:
 * 60, 300, 900, 1800, 3600, 21600, 43200, 86400, 172800, 259200, 604800, 1209600, 2592000 (wiki article 58)),
 * cross-checked against go-acme/lego providers/dns/cloudns and libdns/cloudns (ids and TTLs as strings, `[]` for a
 * zone without records, `{"status": "Success", "data": {"id": …}}` from add-record, "" as the apex host).
 * Left open by what could be read, so the fake is strict: unknown query parameters are refused ("Failed"); the
 * descriptions for an unknown zone ("Missing domain-name") and an unknown record ("Invalid record-id") are the fake's
 * choice; a sub-user sees only its zones; an A/AAAA value of the wrong family is refused.
 */
export interface CloudnsUser {
  password: string;
  kind: "auth-id" | "sub-auth-id" | "sub-auth-user";
  /** A sub-user's zones; an API user sees all. */
  zones?: string[];
}

export interface FakeCloudnsOptions {
  users: Record<string, CloudnsUser>;
  zones: string[];
}

export interface FakeCloudns extends FakeService {
  store: ZoneStore;
  read(name: string, type: string): string[];
  edit(name: string, type: string, contents: string[], ttl?: number): void;
}

const TTLS = [60, 300, 900, 1800, 3600, 21600, 43200, 86400, 172800, 259200, 604800, 1209600, 2592000];
const failed = (statusDescription: string) => json(200, { status: "Failed", statusDescription });
const AUTH = ["auth-id", "sub-auth-id", "sub-auth-user", "auth-password"];

export async function startFakeCloudns(o: FakeCloudnsOptions): Promise<FakeCloudns> {
  const store = createZoneStore(o.zones, (n) => String(400_000 + n));
  const userOf = (q: URLSearchParams) => {
    const given = AUTH.slice(0, 3).filter((k) => q.has(k));
    if (given.length !== 1) return undefined;
    const user = o.users[q.get(given[0]!)!];
    return user && user.kind === given[0] && user.password === q.get("auth-password") ? user : undefined;
  };
  /** The zone named by `domain-name`, if this user may touch it. */
  const zoneOf = (req: FakeRequest) => {
    const zone = (req.query.get("domain-name") ?? "").toLowerCase();
    const user = userOf(req.query)!;
    return store.hasZone(zone) && (!user.zones || user.zones.includes(zone)) ? zone : undefined;
  };
  const shown = (r: StoredRecord) => ({ id: r.id, type: r.type, host: r.name === r.zone ? "" : r.name.slice(0, -(r.zone.length + 1)), record: r.content, dynamicurl_status: 0, failover: "0", ttl: String(r.ttl), status: 1 });
  const refused = (q: URLSearchParams, type: string) => {
    const ttl = Number(q.get("ttl"));
    if (!TTLS.includes(ttl)) return failed("Invalid TTL. Choose from the list of the values we support.");
    const record = q.get("record") ?? "";
    if ((type === "A" && !isIPv4(record)) || (type === "AAAA" && !isIPv6(record))) return failed("Invalid record.");
    const host = q.get("host");
    if (host === null || host !== host.toLowerCase() || host.endsWith(".") || host === "@") return failed("Invalid host.");
    return undefined;
  };
  const both = (path: string, query: string[], handle: Route["handle"], write = false): Route[] =>
    ["GET", "POST"].map((method) => ({ method, path, query: [...AUTH, ...query], write, handle }));

  const routes: Route[] = [
    ...both("/list-zones.json", ["page", "rows-per-page", "search", "group-id", "has-cloud-domain"], (req) => {
      const per = Number(req.query.get("rows-per-page"));
      const page = Number(req.query.get("page"));
      if (![10, 20, 30, 50, 100].includes(per) || !(page >= 1)) return failed("Invalid rows-per-page or page.");
      const user = userOf(req.query)!;
      const zones = store.zones().filter((z) => !user.zones || user.zones.includes(z));
      return json(200, zones.slice((page - 1) * per, page * per).map((name) => ({ name, type: "master", zone: "domain", status: "1" })));
    }),
    ...both("/records.json", ["domain-name", "host", "host-like", "type", "rows-per-page", "page", "order-by"], (req) => {
      const zone = zoneOf(req);
      if (!zone) return failed("Missing domain-name");
      const type = req.query.get("type");
      const host = req.query.get("host");
      const found = store.records(zone).filter((r) => (!type || r.type === type) && (host === null || shown(r).host === host));
      return json(200, found.length === 0 ? [] : Object.fromEntries(found.map((r) => [r.id, shown(r)])));
    }),
    ...both("/add-record.json", ["domain-name", "record-type", "host", "record", "ttl"], (req) => {
      const zone = zoneOf(req);
      if (!zone) return failed("Missing domain-name");
      const type = req.query.get("record-type") ?? "";
      const no = refused(req.query, type);
      if (no) return no;
      const r = store.add({ zone, name: absolute(req.query.get("host")!, zone), type, content: req.query.get("record")!, ttl: Number(req.query.get("ttl")), extra: {} });
      return json(200, { status: "Success", statusDescription: "The record was added successfully.", data: { id: Number(r.id) } });
    }, true),
    ...both("/mod-record.json", ["domain-name", "record-id", "host", "record", "ttl"], (req) => {
      const zone = zoneOf(req);
      if (!zone) return failed("Missing domain-name");
      const held = store.byId(req.query.get("record-id") ?? "");
      if (!held || held.zone !== zone) return failed("Invalid record-id");
      const no = refused(req.query, held.type);
      if (no) return no;
      store.update(held.id, { name: absolute(req.query.get("host")!, zone), content: req.query.get("record")!, ttl: Number(req.query.get("ttl")) });
      return json(200, { status: "Success", statusDescription: "The record was modified successfully." });
    }, true),
    ...both("/delete-record.json", ["domain-name", "record-id"], (req) => {
      const zone = zoneOf(req);
      if (!zone) return failed("Missing domain-name");
      const held = store.byId(req.query.get("record-id") ?? "");
      if (!held || held.zone !== zone) return failed("Invalid record-id");
      store.remove(held.id);
      return json(200, { status: "Success", statusDescription: "The record was deleted successfully." });
    }, true),
  ];

  const fake = await startFakeService({
    name: "ClouDNS API",
    basePath: "/dns",
    // ClouDNS answers its refusals inside HTTP 200; outages and the budget keep their status.
    error: (status, message) => (status === 429 || status >= 500 ? json(status, { status: "Failed", statusDescription: message }) : failed(message)),
    routes,
    auth: (req) => (userOf(new URL(req.url).searchParams) ? undefined : failed("Invalid authentication, incorrect auth-id or auth-password.")),
  });
  return {
    ...fake,
    store,
    read: (name, type) => store.read(name, type),
    edit(name, type, contents, ttl = 3600) {
      const zone = store.zoneOf(name);
      if (!zone) throw new Error(`fake ClouDNS: no zone holds ${JSON.stringify(name)}`);
      for (const r of store.find(zone, name, type)) store.remove(r.id);
      for (const content of contents) store.add({ zone, name, type, content, ttl, extra: {} });
    },
  };
}
