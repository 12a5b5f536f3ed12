import { isIPv4, isIPv6 } from "node:net";
import { json, startFakeService, type FakeRequest, type FakeService, type Route } from "../kit/fake-service.ts";
import { createZoneStore, type StoredRecord, type ZoneStore } from "../kit/zone-store.ts";

/**
 * A strict fake of the NameSilo API (https://www.namesilo.com/api), written on 2026-12-02 from NameSilo's API
 * reference (namesilo.com/api-reference: every operation a GET with `version=1`, `type=xml|json` and `key`; replies
 * `{"request": {"operation", "ip"}, "reply": {"code", "detail", …}}` with HTTP 200 whatever the outcome; code 300
 * success, 109 no key, 110 invalid key, 113 key not allowed from this IP, 200 "Domain is not active, or does not
 * belong to this user", 280 DNS modification error; `dnsListRecords` (domain), `dnsAddRecord` (domain, rrtype,
 * rrhost, rrvalue, rrdistance, rrttl), `dnsUpdateRecord` (domain, rrid, rrhost, rrvalue, rrdistance, rrttl),
 * `dnsDeleteRecord` (domain, rrid); rrhost without the domain, rrttl 3600…2592000, 7207 when left out), cross-checked
 * against libdns/namesilo (`type=json`; `resource_record` with `record_id`, `type`, `host` absolute, `value`, `ttl`,
 * `distance`; a lone record comes as an object, not an array — caddy-dns/namesilo#5) and go-acme/lego's provider.
 * Left open, so the fake takes the strict side: the fake speaks JSON only (`type=json`, else code 105); an update
 * gives the record a new `record_id` (the reply carries one) and without `rrttl` resets its TTL to 7207; an unknown
 * `rrid` is code 280; `ttl` is shown as a string; unknown query parameters are refused (code 108). Refusals are
 * HTTP 200, so `writes()` counts only the writes that took effect.
 */
export interface FakeNamesiloOptions {
  keys: string[];
  zones: string[];
}

export interface FakeNamesilo extends FakeService {
  store: ZoneStore;
  read(name: string, type: string): string[];
  edit(name: string, type: string, contents: string[], ttl?: number): void;
}

const BASE = ["version", "type", "key"];
const reply = (operation: string, code: number, detail: string, more: Record<string, unknown> = {}) =>
  json(200, { request: { operation, ip: "192.0.2.99" }, reply: { code, detail, ...more } });

export async function startFakeNamesilo(o: FakeNamesiloOptions): Promise<FakeNamesilo> {
  let next = 0;
  const store = createZoneStore(o.zones, () => (++next).toString(16).padStart(32, "a"));
  let applied = 0;
  const shown = (r: StoredRecord) => ({ record_id: r.id, type: r.type, host: r.name, value: r.content, ttl: String(r.ttl), distance: 0 });
  const op = (req: FakeRequest) => req.path.slice(1);
  const domainOf = (req: FakeRequest) => {
    const domain = req.query.get("domain")?.toLowerCase();
    if (!domain) return reply(op(req), 108, "Invalid number of parameters, or missing parameters");
    return store.hasZone(domain) ? domain : reply(op(req), 200, "Domain is not active, or does not belong to this user");
  };
  /** The rr* parameters checked as NameSilo checks them; the absolute name, or the refusal. */
  const checked = (req: FakeRequest, zone: string, type: string) => {
    const host = req.query.get("rrhost");
    const value = req.query.get("rrvalue");
    const ttl = req.query.get("rrttl");
    if (host === null || value === null) return reply(op(req), 108, "Invalid number of parameters, or missing parameters");
    if (ttl !== null && !(/^\d+$/.test(ttl) && Number(ttl) >= 3600 && Number(ttl) <= 2_592_000)) return reply(op(req), 280, "DNS modification error: invalid TTL");
    if ((type === "A" && !isIPv4(value)) || (type === "AAAA" && !isIPv6(value))) return reply(op(req), 280, "DNS modification error: invalid value");
    return { name: host === "" ? zone : `${host.toLowerCase()}.${zone}`, content: value, ttl: ttl === null ? 7207 : Number(ttl) };
  };
  const record = (req: FakeRequest, zone: string) => {
    const held = store.byId(req.query.get("rrid") ?? "");
    return held && held.zone === zone ? held : reply(op(req), 280, "DNS modification error: invalid resource ID");
  };
  const done = (operation: string, more: Record<string, unknown> = {}) => (applied++, reply(operation, 300, "success", more));

  const routes: Route[] = [
    {
      method: "GET", path: "/dnsListRecords", query: [...BASE, "domain"],
      handle(req) {
        const zone = domainOf(req);
        if (zone instanceof Response) return zone;
        const found = store.records(zone).map(shown);
        return reply("dnsListRecords", 300, "success", found.length === 0 ? {} : { resource_record: found.length === 1 ? found[0] : found });
      },
    },
    {
      method: "GET", path: "/dnsAddRecord", query: [...BASE, "domain", "rrtype", "rrhost", "rrvalue", "rrdistance", "rrttl"], write: true,
      handle(req) {
        const zone = domainOf(req);
        if (zone instanceof Response) return zone;
        const type = req.query.get("rrtype") ?? "";
        const r = checked(req, zone, type);
        if (r instanceof Response) return r;
        return done("dnsAddRecord", { record_id: store.add({ zone, type, ...r, extra: {} }).id });
      },
    },
    {
      method: "GET", path: "/dnsUpdateRecord", query: [...BASE, "domain", "rrid", "rrhost", "rrvalue", "rrdistance", "rrttl"], write: true,
      handle(req) {
        const zone = domainOf(req);
        if (zone instanceof Response) return zone;
        const held = record(req, zone);
        if (held instanceof Response) return held;
        const r = checked(req, zone, held.type);
        if (r instanceof Response) return r;
        store.remove(held.id);
        return done("dnsUpdateRecord", { record_id: store.add({ zone, type: held.type, ...r, extra: {} }).id });
      },
    },
    {
      method: "GET", path: "/dnsDeleteRecord", query: [...BASE, "domain", "rrid"], write: true,
      handle(req) {
        const zone = domainOf(req);
        if (zone instanceof Response) return zone;
        const held = record(req, zone);
        if (held instanceof Response) return held;
        store.remove(held.id);
        return done("dnsDeleteRecord");
      },
    },
  ];

  const fake = await startFakeService({
    name: "NameSilo API",
    basePath: "/api",
    error: (status, message) => (status === 404 || status === 405 ? reply("", 107, "Invalid API operation") : status === 400 ? reply("", 108, message) : json(status, { request: {}, reply: { code: 201, detail: message } })),
    routes,
    auth(req) {
      const q = new URL(req.url).searchParams;
      if (q.get("version") !== "1") return reply("", 102, "No version specified or invalid version");
      if (q.get("type") !== "json") return reply("", 105, "Invalid API type");
      const key = q.get("key");
      if (!key) return reply("", 109, "No API key specified");
      return o.keys.includes(key) ? undefined : reply("", 110, "Invalid API Key");
    },
  });
  return {
    ...fake,
    writes: () => applied,
    store,
    read: (name, type) => store.read(name, type),
    edit(name, type, contents, ttl = 7207) {
      const zone = store.zoneOf(name);
      if (!zone) throw new Error(`fake NameSilo: no zone holds ${JSON.stringify(name)}`);
      for (const r of store.find(zone, name, type)) store.remove(r.id);
      for (const content of contents) store.add({ zone, name, type, content, ttl, extra: {} });
    },
  };
}
