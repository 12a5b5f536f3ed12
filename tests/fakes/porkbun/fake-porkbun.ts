import { isIPv4, isIPv6 } from "node:net";
import * as v from "valibot";
import { json, startFakeService, type FakeService, type FakeServiceOptions, type Route } from "../kit/fake-service.ts";
import { createZoneStore, type StoredRecord, type ZoneStore } from "../kit/zone-store.ts";

/**
 * A strict fake of the Porkbun API v3 (DNS and domain listing), written from Porkbun's documentation
 * (porkbun.com/api/json/v3/documentation, as quoted by the clients that follow it) and those clients, read on
 * 2026-12-02: nrdcg/porkbun (client.go, types.go, fixtures/*: the endpoints, `{ status, message }`, records with string
 * ids, FQDN names and string ttl/prio/notes, `{ status, id }` answering a create), qdm12/ddns-updater's porkbun
 * provider (retrieveByNameType/{domain}/{type}[/{subdomain}], edit by id with name/type/content/ttl), and the refusals
 * users report verbatim (HTTP 400 `{"status":"ERROR","message":"Invalid API key. (002)"}`, "Domain is not opted in to
 * API access." in jeessy2/ddns-go#1015, "Invalid domain." for anything but a registered domain in caddy-dns/porkbun#29).
 * - Every call is POST with a JSON body holding `apikey` and `secretapikey`; success is HTTP 200 `status: "SUCCESS"`.
 * - `/domain/listAll` gives 1000 domains from `start` ("increment by 1000 until you receive an empty result").
 * - A record's name is sent relative ("" for the apex), stored and shown fully qualified; `ttl` is a string.
 * Left open by what was read: the TTL minimum (the current documentation says 600; nrdcg/porkbun's comment 300 —
 * the fake refuses below 600), the refusal for an unknown record id (the fake: "Invalid record ID."), what an edit
 * does to fields it is not sent (the fake resets ttl to 600 and clears notes, so a client must send them back), and
 * unknown body fields (refused, 400). Domains listed in `optedOut` refuse DNS calls as API access turned off does.
 */
export interface FakePorkbunOptions {
  /** apikey → secretapikey. */
  keys: Record<string, string>;
  zones: string[];
  optedOut?: string[];
  extra?: FakeServiceOptions["extra"];
}

export interface FakePorkbun extends FakeService {
  store: ZoneStore;
  read(name: string, type: string): string[];
  edit(name: string, type: string, contents: string[], ttl?: number, notes?: string): void;
}

const error = (status: number, message: string) => json(status, { status: "ERROR", message });
const refuse = (message: string) => error(400, message);
const TYPES = ["A", "MX", "CNAME", "ALIAS", "TXT", "NS", "AAAA", "SRV", "TLSA", "CAA", "HTTPS", "SVCB"] as const;
const auth = { apikey: v.string(), secretapikey: v.string() };
const ttl = v.optional(v.pipe(v.string(), v.regex(/^\d+$/, "ttl must be a number of seconds")));
const RecordBody = v.strictObject({ ...auth, name: v.optional(v.string()), type: v.picklist(TYPES), content: v.string(), ttl, prio: v.optional(v.string()), notes: v.optional(v.string()) });
const AuthOnly = v.strictObject(auth);
const ListBody = v.strictObject({ ...auth, start: v.optional(v.pipe(v.string(), v.regex(/^\d+$/))), includeLabels: v.optional(v.string()) });

export async function startFakePorkbun(o: FakePorkbunOptions): Promise<FakePorkbun> {
  const store = createZoneStore(o.zones, (n) => String(106_926_650 + n));
  const shown = (r: StoredRecord) => ({ id: r.id, name: r.name, type: r.type, content: r.content, ttl: String(r.ttl), prio: "0", notes: (r.extra.notes as string | undefined) ?? "" });
  const fqdn = (name: string | undefined, zone: string) => (name === undefined || name === "" ? zone : `${name}.${zone}`.toLowerCase());
  const ok = (body: object = {}) => json(200, { status: "SUCCESS", ...body });
  /** The domain of a DNS call, or the refusal. */
  const domainOf = (p: Record<string, string>) => {
    const zone = p.domain?.toLowerCase() ?? "";
    if (!store.hasZone(zone)) return refuse("Invalid domain.");
    return (o.optedOut ?? []).includes(zone) ? refuse("Domain is not opted in to API access.") : zone;
  };
  const checked = (b: v.InferOutput<typeof RecordBody>) => {
    if (b.ttl !== undefined && Number(b.ttl) < 600) return refuse("TTL must be at least 600.");
    if ((b.type === "A" && !isIPv4(b.content)) || (b.type === "AAAA" && !isIPv6(b.content))) return refuse(`Invalid content for an ${b.type} record.`);
    return undefined;
  };
  const recordOf = (p: Record<string, string>) => {
    const zone = domainOf(p);
    if (zone instanceof Response) return zone;
    const record = store.byId(p.id ?? "");
    return record && record.zone === zone ? record : refuse("Invalid record ID.");
  };
  const byNameType = ({ params }: { params: Record<string, string> }) => {
    const zone = domainOf(params);
    if (zone instanceof Response) return zone;
    return ok({ records: store.find(zone, fqdn(params.sub, zone), params.type).map(shown) });
  };

  const routes: Route[] = [
    { method: "POST", path: "/ping", body: AuthOnly, invalidStatus: 400, handle: () => ok({ yourIp: "127.0.0.1" }) },
    {
      method: "POST",
      path: "/domain/listAll",
      body: ListBody,
      invalidStatus: 400,
      handle: ({ body }) => {
        const start = Number((body as v.InferOutput<typeof ListBody>).start ?? 0);
        return ok({ domains: store.zones().slice(start, start + 1000).map((domain) => ({ domain, status: "ACTIVE", tld: domain.split(".").at(-1) })) });
      },
    },
    {
      method: "POST",
      path: "/dns/retrieve/:domain",
      body: AuthOnly,
      invalidStatus: 400,
      handle: ({ params }) => {
        const zone = domainOf(params);
        return zone instanceof Response ? zone : ok({ records: store.records(zone).map(shown) });
      },
    },
    { method: "POST", path: "/dns/retrieveByNameType/:domain/:type", body: AuthOnly, invalidStatus: 400, handle: byNameType },
    { method: "POST", path: "/dns/retrieveByNameType/:domain/:type/:sub", body: AuthOnly, invalidStatus: 400, handle: byNameType },
    {
      method: "POST",
      path: "/dns/create/:domain",
      body: RecordBody,
      invalidStatus: 400,
      write: true,
      handle: ({ params, body }) => {
        const zone = domainOf(params);
        if (zone instanceof Response) return zone;
        const b = body as v.InferOutput<typeof RecordBody>;
        const refused = checked(b);
        if (refused) return refused;
        const record = store.add({ zone, name: fqdn(b.name, zone), type: b.type, content: b.content, ttl: Number(b.ttl ?? 600), extra: { notes: b.notes ?? "" } });
        return ok({ id: Number(record.id) });
      },
    },
    {
      method: "POST",
      path: "/dns/edit/:domain/:id",
      body: RecordBody,
      invalidStatus: 400,
      write: true,
      handle: ({ params, body }) => {
        const record = recordOf(params);
        if (record instanceof Response) return record;
        const b = body as v.InferOutput<typeof RecordBody>;
        const refused = checked(b);
        if (refused) return refused;
        store.update(record.id, { name: fqdn(b.name, record.zone), type: b.type, content: b.content, ttl: Number(b.ttl ?? 600), extra: { notes: b.notes ?? "" } });
        return ok();
      },
    },
    {
      method: "POST",
      path: "/dns/delete/:domain/:id",
      body: AuthOnly,
      invalidStatus: 400,
      write: true,
      handle: ({ params }) => {
        const record = recordOf(params);
        if (record instanceof Response) return record;
        store.remove(record.id);
        return ok();
      },
    },
  ];

  const authorized = (body: unknown) => {
    const b = body as { apikey?: string; secretapikey?: string };
    return b.apikey !== undefined && o.keys[b.apikey] === b.secretapikey ? undefined : refuse("Invalid API key. (002)");
  };
  const fake = await startFakeService({
    name: "Porkbun API v3",
    basePath: "/api/json/v3",
    error,
    routes: routes.map((r) => ({ ...r, handle: (req) => authorized(req.body) ?? r.handle(req) })),
    ...(o.extra ? { extra: o.extra } : {}),
    // The keys travel in the body, which the kit validates before a route runs: each route checks them first.
    auth: (req) => (req.method === "POST" ? undefined : error(405, "Only POST is supported.")),
  });
  return {
    ...fake,
    store,
    read: (name, type) => store.read(name, type),
    edit(name, type, contents, ttl = 600, notes = "") {
      const zone = store.zoneOf(name);
      if (!zone) throw new Error(`fake Porkbun: no domain holds ${JSON.stringify(name)}`);
      for (const r of store.find(zone, name, type)) store.remove(r.id);
      for (const content of contents) store.add({ zone, name, type, content, ttl, extra: { notes } });
    },
  };
}
