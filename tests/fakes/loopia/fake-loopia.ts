import { isIPv4, isIPv6 } from "node:net";
import { encodeFault, encodeResponse, parseXmlRpc, type XmlRpcValue } from "../../../src/providers/kit/xml-rpc.ts";
import { startFakeService, type FakeService } from "../kit/fake-service.ts";
import { createZoneStore, type StoredRecord, type ZoneStore } from "../kit/zone-store.ts";

/**
 * A strict fake of the Loopia API (XML-RPC at https://api.loopia.se/RPCSERV), written on 2026-12-02 from Loopia's
 * API reference (loopia.com/api: every method takes the API user and password first; `getDomains` → array of
 * `domain_obj` structs; `getZoneRecords(domain, subdomain)` → array of `record_obj` {type, ttl, priority, rdata,
 * record_id}; `addZoneRecord(domain, subdomain, record_obj)`, `updateZoneRecord(domain, subdomain, record_obj)`,
 * `removeZoneRecord(domain, subdomain, record_id)` → a status: OK, AUTH_ERROR, RATE_LIMITED, BAD_INDATA,
 * UNKNOWN_ERROR; 60 calls a minute) and cross-checked against go-acme/lego providers/dns/loopia (the call and
 * record shapes, "@" at the apex, `addZoneRecord` without a prior `addSubdomain`) and StackExchange/dnscontrol's
 * provider (the rate limit also comes as XML-RPC fault 429 in an HTTP 200; no Retry-After).
 * Left open, so the fake takes the strict side: a read refused answers an array holding the one status; a domain not
 * the account's is UNKNOWN_ERROR; a TTL below 300, an unknown struct member or an A/AAAA value of the wrong family is
 * BAD_INDATA; a record id not in that subdomain is UNKNOWN_ERROR; a document that is no call, an unknown method or
 * wrong parameters are faults -32700 / -32601 / -32602 (the XML-RPC interoperability codes). Refusals are HTTP 200,
 * so `writes()` counts only the writes that took effect.
 */
export interface FakeLoopiaOptions {
  /** user → password. */
  users: Record<string, string>;
  zones: string[];
  /** Calls a minute before fault 429 (default 60). */
  perMinute?: number;
}

export interface FakeLoopia extends FakeService {
  store: ZoneStore;
  read(name: string, type: string): string[];
  edit(name: string, type: string, contents: string[], ttl?: number): void;
  /** The next call of `method` is carried out, and its answer comes only after `ms` (the client gives up first). */
  delayNextAnswer(method: string, ms: number): void;
}

const xml = (body: string) => new Response(body, { status: 200, headers: { "Content-Type": "text/xml" } });
const RECORD_KEYS = new Set(["type", "ttl", "priority", "rdata", "record_id"]);
type Struct = { [k: string]: XmlRpcValue };
const isStruct = (v: XmlRpcValue | undefined): v is Struct => !!v && typeof v === "object" && !Array.isArray(v);
const ARITY: Record<string, string[]> = { getDomains: [], getZoneRecords: ["string", "string"], addZoneRecord: ["string", "string", "struct"], updateZoneRecord: ["string", "string", "struct"], removeZoneRecord: ["string", "string", "number"] };
const kindOf = (v: XmlRpcValue | undefined) => (isStruct(v) ? "struct" : typeof v);

export async function startFakeLoopia(o: FakeLoopiaOptions): Promise<FakeLoopia> {
  const store = createZoneStore(o.zones, (n) => String(9_000_000 + n));
  let applied = 0;
  const delays = new Map<string, number>();
  const calls: number[] = [];
  const subOf = (r: StoredRecord) => (r.name === r.zone ? "@" : r.name.slice(0, -(r.zone.length + 1)));
  const nameOf = (sub: string, zone: string) => (sub === "@" ? zone : `${sub.toLowerCase()}.${zone}`);
  const shown = (r: StoredRecord): Struct => ({ type: r.type, ttl: r.ttl, priority: 0, rdata: r.content, record_id: Number(r.id) });
  const bad = (rec: Struct) => {
    if (Object.keys(rec).some((k) => !RECORD_KEYS.has(k)) || typeof rec.type !== "string" || typeof rec.rdata !== "string" || typeof rec.ttl !== "number") return true;
    if (rec.ttl < 300) return true;
    return (rec.type === "A" && !isIPv4(rec.rdata)) || (rec.type === "AAAA" && !isIPv6(rec.rdata));
  };
  const write = (done: boolean) => (done && applied++, done ? "OK" : "UNKNOWN_ERROR");

  function answer(method: string, args: XmlRpcValue[]): XmlRpcValue {
    if (method === "getDomains") return store.zones().map((domain, i) => ({ domain, paid: 1, registered: 1, renewal_status: "NORMAL", expiration_date: "2027-12-31", reference_no: 1000 + i }));
    const zone = String(args[0]).toLowerCase();
    const sub = String(args[1]);
    const reading = method === "getZoneRecords";
    if (!store.hasZone(zone)) return reading ? ["UNKNOWN_ERROR"] : "UNKNOWN_ERROR";
    const held = store.records(zone).filter((r) => subOf(r) === sub.toLowerCase());
    if (reading) return held.map(shown);
    if (method === "removeZoneRecord") {
      const r = held.find((x) => Number(x.id) === args[2]);
      return write(!!r && store.remove(r.id));
    }
    const rec = args[2] as Struct;
    if (bad(rec)) return "BAD_INDATA";
    if (method === "addZoneRecord") return write(!!store.add({ zone, name: nameOf(sub, zone), type: rec.type as string, content: rec.rdata as string, ttl: rec.ttl as number, extra: {} }));
    const r = held.find((x) => Number(x.id) === rec.record_id && x.type === rec.type);
    return write(!!r && !!store.update(r.id, { content: rec.rdata as string, ttl: rec.ttl as number }));
  }

  const fake = await startFakeService({
    name: "Loopia API",
    basePath: "/RPCSERV",
    error: (status, message) => xml(encodeFault(status === 429 ? 429 : -32600, message)),
    auth: () => undefined,
    routes: [
      {
        method: "POST", path: "/", write: true,
        async handle(req) {
          if (!/text\/xml/.test(req.headers.get("content-type") ?? "")) return xml(encodeFault(-32700, "parse error: not text/xml"));
          const now = Date.now();
          while (calls.length && calls[0]! < now - 60_000) calls.shift();
          if (calls.length >= (o.perMinute ?? 60)) return xml(encodeFault(429, "Rate limit exceeded"));
          calls.push(now);
          const doc = parseXmlRpc(req.text);
          if (doc?.kind !== "call") return xml(encodeFault(-32700, "parse error: not well formed"));
          const want = ARITY[doc.method];
          if (!want) return xml(encodeFault(-32601, `method ${doc.method} not found`));
          const [user, password, ...args] = doc.params;
          if (typeof user !== "string" || typeof password !== "string" || args.length !== want.length || args.some((a, i) => kindOf(a) !== want[i])) return xml(encodeFault(-32602, "invalid method parameters"));
          if (o.users[user] !== password) return xml(encodeResponse(doc.method.startsWith("get") ? ["AUTH_ERROR"] : "AUTH_ERROR"));
          const result = xml(encodeResponse(answer(doc.method, args)));
          const delay = delays.get(doc.method);
          if (delay !== undefined) (delays.delete(doc.method), await Bun.sleep(delay));
          return result;
        },
      },
    ],
  });
  return {
    ...fake,
    writes: () => applied,
    delayNextAnswer: (method, ms) => void delays.set(method, ms),
    store,
    read: (name, type) => store.read(name, type),
    edit(name, type, contents, ttl = 3600) {
      const zone = store.zoneOf(name);
      if (!zone) throw new Error(`fake Loopia: no zone holds ${JSON.stringify(name)}`);
      for (const r of store.find(zone, name, type)) store.remove(r.id);
      for (const content of contents) store.add({ zone, name, type, content, ttl, extra: {} });
    },
  };
}
