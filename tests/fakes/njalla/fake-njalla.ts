import { isIPv4, isIPv6 } from "node:net";
import * as v from "valibot";
import { json, startFakeService, type FakeService, type Route } from "../kit/fake-service.ts";
import { absolute, createZoneStore, relative, type StoredRecord, type ZoneStore } from "../kit/zone-store.ts";

/**
 * A strict fake of Njalla's API (https://njal.la/api/1/), written on 2026-12-02 from Njalla's API page (njal.la/api/:
 * one endpoint, `POST` of `{"method", "params"}`, `Authorization: Njalla <token>`, the methods `list-domains`,
 * `list-records {domain}`, `add-record {domain, type, name, content, ttl}`, `edit-record {domain, id, content, …}`,
 * `remove-record {domain, id}`) and cross-checked against the clients that use it: go-acme/lego providers/dns/njalla
 * (fixtures: `{"jsonrpc": "2.0", "result": …}`, errors as `{"jsonrpc": "2.0", "error": {"code": 403, "message":
 * "Invalid token."}}`, "missing domain", "missing ID") and Sighery/gonjalla (ids as integers, the TTLs Njalla
 * accepts: 60, 300, 900, 3600, 10800, 21600, 86400; `list-domains` as `{domains: [{name, status, expiry}]}`).
 * Left open by what could be read, so the fake is strict: errors come in HTTP 200 (as lego reads them); unknown
 * methods and unknown params are refused; ids must be integers; a domain the token does not hold is `{"code": 404,
 * "message": "Domain not found."}` and an unknown id `{"code": 404, "message": "Record not found."}`; names are
 * relative ("@" the apex); an A/AAAA value of the wrong family is refused.
 */
export interface FakeNjallaOptions {
  tokens: string[];
  zones: string[];
}

export interface FakeNjalla extends FakeService {
  store: ZoneStore;
  read(name: string, type: string): string[];
  edit(name: string, type: string, contents: string[], ttl?: number): void;
}

const TTLS = [60, 300, 900, 3600, 10800, 21600, 86400];
const failed = new WeakSet<Response>();
const failure = (code: number, message: string) => {
  const response = json(200, { jsonrpc: "2.0", error: { code, message } });
  failed.add(response);
  return response;
};
const answer = (result: unknown) => json(200, { jsonrpc: "2.0", result });
const ENVELOPE = v.strictObject({ method: v.string(), params: v.optional(v.record(v.string(), v.unknown())), id: v.optional(v.string()), jsonrpc: v.optional(v.literal("2.0")) });
const PARAMS: Record<string, v.GenericSchema> = {
  "list-domains": v.strictObject({}),
  "list-records": v.strictObject({ domain: v.string() }),
  "add-record": v.strictObject({ domain: v.string(), type: v.string(), name: v.string(), content: v.string(), ttl: v.picklist(TTLS), prio: v.optional(v.number()) }),
  "edit-record": v.strictObject({ domain: v.string(), id: v.pipe(v.number(), v.integer()), name: v.optional(v.string()), type: v.optional(v.string()), content: v.optional(v.string()), ttl: v.optional(v.picklist(TTLS)), prio: v.optional(v.number()) }),
  "remove-record": v.strictObject({ domain: v.string(), id: v.pipe(v.number(), v.integer()) }),
};
type Params = { domain: string; id: number; type: string; name?: string; content?: string; ttl?: number };

export async function startFakeNjalla(o: FakeNjallaOptions): Promise<FakeNjalla> {
  const store = createZoneStore(o.zones, (n) => String(7000 + n));
  let writes = 0;
  const shown = (r: StoredRecord) => ({ id: Number(r.id), name: relative(r.name, r.zone), type: r.type, content: r.content, ttl: r.ttl });
  const wrongValue = (type: string, content: string) => (type === "A" && !isIPv4(content)) || (type === "AAAA" && !isIPv6(content));
  const methods: Record<string, (p: Params) => Response> = {
    "list-domains": () => answer({ domains: store.zones().map((name) => ({ name, status: "active", expiry: "2027-01-01T00:00:00Z" })) }),
    "list-records": (p) => answer({ records: store.records(p.domain).map(shown) }),
    "add-record": (p) => {
      if (p.name !== p.name!.toLowerCase() || p.name!.endsWith(".") || p.name === p.domain || p.name!.endsWith(`.${p.domain}`)) return failure(400, "Invalid name.");
      if (wrongValue(p.type, p.content!)) return failure(400, "Invalid content.");
      return answer(shown(store.add({ zone: p.domain, name: absolute(p.name!, p.domain), type: p.type, content: p.content!, ttl: p.ttl!, extra: {} })));
    },
    "edit-record": (p) => {
      const held = store.byId(String(p.id));
      if (!held || held.zone !== p.domain) return failure(404, "Record not found.");
      if (p.content !== undefined && wrongValue(held.type, p.content)) return failure(400, "Invalid content.");
      return answer(shown(store.update(held.id, { ...(p.content === undefined ? {} : { content: p.content }), ...(p.ttl === undefined ? {} : { ttl: p.ttl }), ...(p.name === undefined ? {} : { name: absolute(p.name, p.domain) }) })!));
    },
    "remove-record": (p) => {
      const held = store.byId(String(p.id));
      if (!held || held.zone !== p.domain) return failure(404, "Record not found.");
      store.remove(held.id);
      return answer({});
    },
  };
  const routes: Route[] = [
    {
      method: "POST", path: "/1/", body: ENVELOPE, invalidStatus: 200,
      handle: ({ body }) => {
        const { method, params = {} } = body as v.InferOutput<typeof ENVELOPE>;
        const schema = PARAMS[method];
        if (!schema) return failure(400, `Unknown method ${JSON.stringify(method)}.`);
        const checked = v.safeParse(schema, params);
        if (!checked.success) return failure(400, `Invalid params: ${v.getDotPath(checked.issues[0]) ?? "params"}: ${checked.issues[0].message}`);
        const p = checked.output as Params;
        if (method !== "list-domains" && !store.hasZone(p.domain)) return failure(404, "Domain not found.");
        const response = methods[method]!(p);
        // Every call is a POST answered 200: a write is counted only when it changed something.
        if (method.endsWith("-record") && method !== "list-records" && !failed.has(response)) writes++;
        return response;
      },
    },
  ];
  const fake = await startFakeService({
    name: "Njalla API",
    // The endpoint is /api/1/ with its slash (a POST to /api/1 is not the API); `url` names /api/1.
    basePath: "/api",
    error: (status, message) => (status === 429 || status >= 500 ? json(status, { jsonrpc: "2.0", error: { code: status, message } }) : failure(status === 200 ? 400 : status, message)),
    routes,
    auth: (req) => (o.tokens.includes(/^Njalla (\S+)$/.exec(req.headers.get("authorization") ?? "")?.[1] ?? "") ? undefined : failure(403, "Invalid token.")),
  });
  return {
    ...fake,
    url: `${fake.origin}/api/1`,
    writes: () => writes,
    store,
    read: (name, type) => store.read(name, type),
    edit(name, type, contents, ttl = 3600) {
      const zone = store.zoneOf(name);
      if (!zone) throw new Error(`fake Njalla: no zone holds ${JSON.stringify(name)}`);
      for (const r of store.find(zone, name, type)) store.remove(r.id);
      for (const content of contents) store.add({ zone, name, type, content, ttl, extra: {} });
    },
  };
}
