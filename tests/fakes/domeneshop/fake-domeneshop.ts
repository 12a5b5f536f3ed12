import { isIPv4, isIPv6 } from "node:net";
import * as v from "valibot";
import { json, startFakeService, type FakeRequest, type FakeService, type Route } from "../kit/fake-service.ts";
import { absolute, createZoneStore, relative, type StoredRecord, type ZoneStore } from "../kit/zone-store.ts";

/**
 * A strict fake of the Domeneshop API v0 (https://api.domeneshop.no/v0), written on 2026-12-02 from Domeneshop's
 * API documentation (api.domeneshop.no/docs/: HTTP Basic auth with an API client's token and secret; `GET /domains`
 * with `{id, domain, services: {registrar, dns, email, webhotel}, …}`; `GET /domains/{domainId}/dns` with the
 * optional filters `host` and `type`; `POST` of `{host, ttl, type, data}` answered 201 with the new `id` and a
 * `Location`; `PUT /domains/{domainId}/dns/{recordId}` and `DELETE` answered 204; errors as `{code, help}`) and
 * cross-checked against Domeneshop's own python-domeneshop client (the record keys host/data/ttl/type, the id from
 * `Location`, errors read as `code` and `help`) and go-acme/lego providers/dns/domeneshop (fixtures; only domains
 * with `services.dns` take records; "@" the apex).
 * Left open by what could be read, so the fake is strict: unknown body fields are refused (400); TTLs must be whole
 * minutes between 60 and 604800; the error codes ("auth:invalid", "domain:notFound", "dns:recordNotFound",
 * "dns:invalid") are the fake's choice; a domain without the DNS service refuses records (404); A/AAAA values of the
 * wrong family are refused.
 */
export interface FakeDomeneshopOptions {
  clients: Record<string, string>;
  zones: string[];
  /** Domains of the account that use other name servers (services.dns false). */
  elsewhere?: string[];
}

export interface FakeDomeneshop extends FakeService {
  store: ZoneStore;
  read(name: string, type: string): string[];
  edit(name: string, type: string, contents: string[], ttl?: number): void;
}

const error = (status: number, code: string, help: string) => json(status, { code, help });
const BODY = v.strictObject({ host: v.string(), ttl: v.optional(v.pipe(v.number(), v.integer())), type: v.string(), data: v.string() });

export async function startFakeDomeneshop(o: FakeDomeneshopOptions): Promise<FakeDomeneshop> {
  const store = createZoneStore(o.zones, (n) => String(900 + n));
  const all = [...o.zones, ...(o.elsewhere ?? [])];
  const domainOf = (ref: string) => all[Number(ref) - 1];
  const zoneOf = (req: FakeRequest) => {
    const zone = domainOf(req.params.domain!);
    return zone && store.hasZone(zone) ? zone : error(404, "domain:notFound", "The domain does not exist in this account, or does not use Domeneshop's DNS service.");
  };
  const shown = (r: StoredRecord) => ({ id: Number(r.id), host: relative(r.name, r.zone), ttl: r.ttl, type: r.type, data: r.content });
  const refused = (b: v.InferOutput<typeof BODY>, zone: string) => {
    const ttl = b.ttl ?? 3600;
    if (ttl < 60 || ttl > 604_800 || ttl % 60 !== 0) return error(400, "dns:invalid", "The TTL must be whole minutes between 60 and 604800 seconds.");
    if (b.host !== b.host.toLowerCase() || b.host.endsWith(".") || b.host === zone || b.host.endsWith(`.${zone}`)) return error(400, "dns:invalid", "The host must be relative to the domain.");
    if ((b.type === "A" && !isIPv4(b.data)) || (b.type === "AAAA" && !isIPv6(b.data))) return error(400, "dns:invalid", `Invalid data for a ${b.type} record.`);
    return undefined;
  };
  const recordOf = (req: FakeRequest, zone: string) => {
    const held = store.byId(req.params.id!);
    return held && held.zone === zone ? held : error(404, "dns:recordNotFound", "The DNS record does not exist.");
  };
  const routes: Route[] = [
    { method: "GET", path: "/domains", query: ["domain"], handle: () => json(200, all.map((domain, i) => ({ id: i + 1, domain, expiry_date: "2027-08-24", registered_date: "2019-08-24", renew: true, registrant: "Ola Nordmann", status: "active", nameservers: store.hasZone(domain) ? ["ns1.hyp.net", "ns2.hyp.net", "ns3.hyp.net"] : ["ns1.example.net"], services: { registrar: true, dns: store.hasZone(domain), email: false, webhotel: "none" } }))) },
    {
      method: "GET", path: "/domains/:domain/dns", query: ["host", "type"],
      handle: (req) => {
        const zone = zoneOf(req);
        if (zone instanceof Response) return zone;
        const host = req.query.get("host");
        const type = req.query.get("type");
        return json(200, store.records(zone).map(shown).filter((r) => (host === null || r.host === host) && (type === null || r.type === type)));
      },
    },
    {
      method: "POST", path: "/domains/:domain/dns", body: BODY, invalidStatus: 400, write: true,
      handle: (req) => {
        const zone = zoneOf(req);
        if (zone instanceof Response) return zone;
        const b = req.body as v.InferOutput<typeof BODY>;
        const no = refused(b, zone);
        if (no) return no;
        const r = store.add({ zone, name: absolute(b.host, zone), type: b.type, content: b.data, ttl: b.ttl ?? 3600, extra: {} });
        return json(201, { id: Number(r.id) }, { Location: `/v0/domains/${req.params.domain}/dns/${r.id}` });
      },
    },
    {
      method: "PUT", path: "/domains/:domain/dns/:id", body: BODY, invalidStatus: 400, write: true,
      handle: (req) => {
        const zone = zoneOf(req);
        if (zone instanceof Response) return zone;
        const held = recordOf(req, zone);
        if (held instanceof Response) return held;
        const b = req.body as v.InferOutput<typeof BODY>;
        if (b.type !== held.type) return error(400, "dns:invalid", "The type of a record cannot be changed.");
        const no = refused(b, zone);
        if (no) return no;
        store.update(held.id, { name: absolute(b.host, zone), content: b.data, ttl: b.ttl ?? 3600 });
        return new Response(null, { status: 204 });
      },
    },
    {
      method: "DELETE", path: "/domains/:domain/dns/:id", write: true,
      handle: (req) => {
        const zone = zoneOf(req);
        if (zone instanceof Response) return zone;
        const held = recordOf(req, zone);
        if (held instanceof Response) return held;
        store.remove(held.id);
        return new Response(null, { status: 204 });
      },
    },
  ];
  const fake = await startFakeService({
    name: "Domeneshop API v0",
    basePath: "/v0",
    error: (status, message) => error(status, status === 429 ? "rateLimited" : status >= 500 ? "serverError" : "request:invalid", message),
    routes,
    auth(req) {
      const [, b64] = /^Basic (\S+)$/.exec(req.headers.get("authorization") ?? "") ?? [];
      const [token, ...rest] = b64 === undefined ? [] : Buffer.from(b64, "base64").toString("utf8").split(":");
      return token !== undefined && o.clients[token] === rest.join(":") ? undefined : error(401, "auth:invalid", "Invalid API credentials.");
    },
  });
  return {
    ...fake,
    store,
    read: (name, type) => store.read(name, type),
    edit(name, type, contents, ttl = 3600) {
      const zone = store.zoneOf(name);
      if (!zone) throw new Error(`fake Domeneshop: no zone holds ${JSON.stringify(name)}`);
      for (const r of store.find(zone, name, type)) store.remove(r.id);
      for (const content of contents) store.add({ zone, name, type, content, ttl, extra: {} });
    },
  };
}
