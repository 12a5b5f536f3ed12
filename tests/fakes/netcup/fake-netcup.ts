import { isIPv4, isIPv6 } from "node:net";
import * as v from "valibot";
import { json, startFakeService, type FakeService, type Route } from "../kit/fake-service.ts";
import { absolute, createZoneStore, relative, type StoredRecord, type ZoneStore } from "../kit/zone-store.ts";

/**
 * A strict fake of netcup's CCP DNS API (https://ccp.netcup.net/run/webservice/servers/endpoint.php?JSON), written on
 * 2026-12-02 from netcup's API as go-acme/lego providers/dns/netcup implements it — its internal client cites the
 * endpoint's WSDL pages (login, logout, infoDnsRecords, updateDnsRecords, Dnsrecord, Dnsrecordset, Responsemessage)
 * and netcup-wiki "CCP API" (JSON requests `{action, param}`), which were not reachable from here; infoDnsZone and
 * the 15-minute session lapse are from netcup's documentation as remembered, not re-read (lego's types and fixtures: `{serverrequestid, clientrequestid, action, status, statuscode, shortmessage,
 * longmessage, responsedata}`, status "success" with 2000, "error" with e.g. 4013 "Validation Error.", record ids as
 * strings, `deleterecord`).
 * Left open by what could be read, so the fake is strict and says its choices: every answer is HTTP 200; a failed
 * login is 4013 "Validation Error." / "Login failed…"; an unknown or lapsed session is 4001 "Invalid session.";
 * an unknown domain is 5029 "Can not get DNS records for zone." / "Domain not found."; a zone without records
 * answers infoDnsRecords with 5029 / "No DNS records found."; unknown params are 4013.
 */
export interface FakeNetcupOptions {
  customer: string;
  apiKey: string;
  apiPassword: string;
  zones: string[];
  sessionTtlMs?: number;
}

export interface FakeNetcup extends FakeService {
  store: ZoneStore;
  read(name: string, type: string): string[];
  edit(name: string, type: string, contents: string[]): void;
  /** Every session lapses now (as after 15 idle minutes). */
  dropSessions(): void;
  sessions(): number;
  actions: string[];
}

let serial = 0;
const reply = (action: string, status: "success" | "error", statuscode: number, shortmessage: string, longmessage: string, responsedata: unknown = "") =>
  json(200, { serverrequestid: `srv${++serial}`, clientrequestid: "", action, status, statuscode, shortmessage, longmessage, responsedata });
const creds = { customernumber: v.string(), apikey: v.string() };
const RECORD = v.strictObject({ id: v.optional(v.string()), hostname: v.string(), type: v.string(), priority: v.optional(v.string()), destination: v.string(), deleterecord: v.optional(v.boolean()), state: v.optional(v.string()) });
const PARAMS: Record<string, v.GenericSchema> = {
  login: v.strictObject({ ...creds, apipassword: v.string(), clientrequestid: v.optional(v.string()) }),
  logout: v.strictObject({ ...creds, apisessionid: v.string(), clientrequestid: v.optional(v.string()) }),
  infoDnsZone: v.strictObject({ ...creds, apisessionid: v.string(), domainname: v.string(), clientrequestid: v.optional(v.string()) }),
  infoDnsRecords: v.strictObject({ ...creds, apisessionid: v.string(), domainname: v.string(), clientrequestid: v.optional(v.string()) }),
  updateDnsRecords: v.strictObject({ ...creds, apisessionid: v.string(), domainname: v.string(), clientrequestid: v.optional(v.string()), dnsrecordset: v.strictObject({ dnsrecords: v.array(RECORD) }) }),
};

export async function startFakeNetcup(o: FakeNetcupOptions): Promise<FakeNetcup> {
  const store = createZoneStore(o.zones, (n) => String(90_000_000 + n));
  const sessions = new Map<string, number>();
  const actions: string[] = [];
  let applied = 0;
  const ttl = o.sessionTtlMs ?? 15 * 60_000;
  const shown = (r: StoredRecord) => ({ id: r.id, hostname: relative(r.name, r.zone), type: r.type, priority: "0", destination: r.content, deleterecord: false, state: "yes" });

  function handle(action: string, p: Record<string, unknown>): Response {
    if (action === "login") {
      if (p.customernumber !== o.customer || p.apikey !== o.apiKey || p.apipassword !== o.apiPassword) return reply(action, "error", 4013, "Validation Error.", "Login failed: wrong customer number, API key or API password.");
      const id = `sess${++serial}x${Math.random().toString(36).slice(2)}`;
      sessions.set(id, Date.now());
      return reply(action, "success", 2000, "Login successful", "Session has been created successful.", { apisessionid: id });
    }
    const at = sessions.get(String(p.apisessionid));
    if (p.customernumber !== o.customer || p.apikey !== o.apiKey || at === undefined || Date.now() - at > ttl) return reply(action, "error", 4001, "Invalid session.", "The session id is not in a valid format or has expired.");
    sessions.set(String(p.apisessionid), Date.now());
    if (action === "logout") return (sessions.delete(String(p.apisessionid)), reply(action, "success", 2000, "Logout successful", "Session has been terminated successful."));
    const zone = String(p.domainname).toLowerCase();
    if (!store.hasZone(zone)) return reply(action, "error", 5029, "Can not get DNS records for zone.", "Domain not found.");
    if (action === "infoDnsZone") return reply(action, "success", 2000, "DNS zone found", "DNS zone was found.", { name: zone, ttl: "86400", serial: "2026120201", refresh: "28800", retry: "7200", expire: "1209600", dnssecstatus: false });
    if (action === "infoDnsRecords") {
      const all = store.records(zone);
      return all.length === 0 ? reply(action, "error", 5029, "Can not get DNS records for zone.", "No DNS records found.") : reply(action, "success", 2000, "DNS records found", "DNS Records for this zone were found.", { dnsrecords: all.map(shown) });
    }
    const wanted = (p.dnsrecordset as { dnsrecords: Array<v.InferOutput<typeof RECORD>> }).dnsrecords;
    for (const r of wanted) {
      if ((r.type === "A" && !isIPv4(r.destination)) || (r.type === "AAAA" && !isIPv6(r.destination))) return reply(action, "error", 4013, "Validation Error.", `Value in field destination does not match requirements of type ${r.type}.`);
      if (r.id !== undefined && store.byId(r.id)?.zone !== zone) return reply(action, "error", 5030, "Invalid record.", `The record ${r.id} does not exist in this zone.`);
    }
    for (const r of wanted) {
      if (r.id === undefined) store.add({ zone, name: absolute(r.hostname, zone), type: r.type, content: r.destination, ttl: 86_400, extra: {} });
      else if (r.deleterecord) store.remove(r.id);
      else store.update(r.id, { name: absolute(r.hostname, zone), type: r.type, content: r.destination });
    }
    applied++;
    return reply(action, "success", 2000, "DNS records successful updated", "The given DNS records for this zone were updated.", { dnsrecords: store.records(zone).map(shown) });
  }

  const routes: Route[] = [{
    method: "POST", path: "/endpoint.php",
    handle(req) {
      if (!req.query.has("JSON") || req.query.size !== 1) return new Response("<?xml version=\"1.0\"?><SOAP-ENV:Envelope/>", { status: 200, headers: { "Content-Type": "text/xml" } });
      let body: { action?: unknown; param?: unknown };
      try { body = JSON.parse(req.text); } catch { return reply("", "error", 4013, "Validation Error.", "Message is empty."); }
      const action = String(body.action ?? "");
      actions.push(action);
      const schema = PARAMS[action];
      if (!schema) return reply(action, "error", 4013, "Validation Error.", `Unknown action ${JSON.stringify(action)}.`);
      const checked = v.safeParse(schema, body.param);
      if (!checked.success) return reply(action, "error", 4013, "Validation Error.", `${v.getDotPath(checked.issues[0]) ?? "param"}: ${checked.issues[0].message}`);
      const response = handle(action, checked.output as Record<string, unknown>);
      return response;
    },
  }];

  const fake = await startFakeService({
    name: "netcup CCP DNS API",
    basePath: "/run/webservice/servers",
    error: (status, message) => json(status, { status: "error", statuscode: status, shortmessage: message, longmessage: "" }),
    routes,
    auth: () => undefined,
  });
  return {
    ...fake,
    url: `${fake.url}/endpoint.php?JSON`,
    writes: () => applied,
    store,
    actions,
    sessions: () => sessions.size,
    dropSessions: () => sessions.clear(),
    read: (name, type) => store.read(name, type),
    edit(name, type, contents) {
      const zone = store.zoneOf(name);
      if (!zone) throw new Error(`fake netcup: no zone holds ${JSON.stringify(name)}`);
      for (const r of store.find(zone, name, type)) store.remove(r.id);
      for (const content of contents) store.add({ zone, name, type, content, ttl: 86_400, extra: {} });
    },
  };
}
