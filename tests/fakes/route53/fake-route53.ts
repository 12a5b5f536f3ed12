import { isIPv4, isIPv6 } from "node:net";
import { startFakeService, type FakeService, type Route } from "../kit/fake-service.ts";
import { createZoneStore, type ZoneStore } from "../kit/zone-store.ts";
import { verifySigV4, type SigningKey } from "./sigv4-verify.ts";
import { changesOf, errorXml, page, zoneXml, XMLNS } from "./route53-xml-fake.ts";

/**
 * A strict fake of the Amazon Route 53 API 2013-04-01, written from the Route 53 API Reference as read on
 * 2026-12-02 (ListHostedZonesByName, GetHostedZone, ListResourceRecordSets, ChangeResourceRecordSets, GetChange,
 * "Common Errors"), the SDK models (aws-sdk-go-v2 service/route53, the Paws and rusoto shapes; TXT values in
 * double quotes: rusoto_route53::util::quote_txt_record) and the IAM actions table for Route 53.
 * - Every request is signed with SigV4 (region us-east-1, service route53), verified as AWS does (sigv4-verify.ts):
 *   no Authorization → 403 MissingAuthenticationToken; unknown key id or wrong session token → 403
 *   InvalidClientTokenId; a wrong signature, scope or a date off by over 5 minutes → 403 SignatureDoesNotMatch.
 * - Each key has the IAM actions it is allowed (all by default), else 403 AccessDenied naming the action.
 * - Errors are `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`; a refused
 *   change batch is `<InvalidChangeBatch><Messages><Message/></Messages></InvalidChangeBatch>` (400). Over the
 *   budget: 400 Throttling "Rate exceeded" (five requests a second per account; tests plant it as a fault, since
 *   every signed request carries a different Authorization).
 * - Listings start at the name (and type) asked for, in the API's order (labels reversed), `maxitems` per page
 *   (at most 100 rrsets / 100 zones), IsTruncated with NextRecordName/NextRecordType or NextDNSName.
 * - A change batch is UPSERT/CREATE/DELETE of simple sets, all applied or none (InvalidChangeBatch), at most 1000;
 *   TTL 0..2147483647; A/AAAA values checked. Its ChangeInfo is PENDING until GetChange was asked `pendingPolls`
 *   times, then INSYNC.
 * The docs are silent on unknown query parameters and unknown XML elements; the fake refuses both (InvalidInput).
 */
export type Route53Action = "ListHostedZonesByName" | "GetHostedZone" | "ListResourceRecordSets" | "ChangeResourceRecordSets" | "GetChange";
export interface FakeKey extends SigningKey { allow?: Route53Action[] }
export interface FakeRoute53Options {
  keys: Record<string, FakeKey>;
  zones: Array<{ id: string; name: string; private?: boolean }>;
  /** GetChange answers PENDING this many times per change (default 1). */
  pendingPolls?: number;
  /** The fake's clock for the signature's date (default Date.now). */
  now?: () => number;
}
export interface FakeRoute53 extends FakeService {
  store: ZoneStore;
  read(name: string, type: string): string[];
  edit(name: string, type: string, contents: string[], ttl?: number): void;
  /** The TTL the set holds. */
  ttlOf(name: string, type: string): number | undefined;
  /** The change batches received, each as its parsed changes and comment. */
  batches: Array<{ zoneId: string; comment?: string; changes: Array<{ action: string; name: string; type: string; ttl: number; values: string[] }> }>;
}

const DEFAULT_CODES: Record<number, [number, string]> = { 400: [400, "InvalidInput"], 403: [403, "AccessDenied"], 404: [404, "NoSuchHostedZone"], 405: [405, "InvalidAction"], 429: [400, "Throttling"], 500: [500, "InternalFailure"], 503: [503, "ServiceUnavailable"] };
/** `error(status, "Code: text")` picks the code; a bare text gets the status's usual one. */
function error(status: number, message: string): Response {
  const named = /^([A-Z][A-Za-z]+): ([\s\S]*)$/.exec(message);
  const [sent, code] = named ? [status === 429 ? 400 : status, named[1]!] : (DEFAULT_CODES[status] ?? [status, "InternalFailure"]);
  const text = named ? named[2]! : status === 429 ? "Rate exceeded" : message;
  return new Response(errorXml(sent >= 500 ? "Receiver" : "Sender", code, text), { status: sent, headers: { "Content-Type": "text/xml" } });
}
const xml = (body: string, status = 200) => new Response(`<?xml version="1.0"?>\n${body}`, { status, headers: { "Content-Type": "text/xml" } });
const key = (name: string) => name.split(".").reverse().join(".");

function actionOf(method: string, path: string): Route53Action | undefined {
  if (path.startsWith("/2013-04-01/hostedzonesbyname")) return "ListHostedZonesByName";
  if (path.startsWith("/2013-04-01/change/")) return "GetChange";
  if (/\/rrset\/?$/.test(path)) return method === "POST" ? "ChangeResourceRecordSets" : "ListResourceRecordSets";
  if (path.startsWith("/2013-04-01/hostedzone/")) return "GetHostedZone";
  return undefined;
}

export async function startFakeRoute53(o: FakeRoute53Options): Promise<FakeRoute53> {
  const store = createZoneStore(o.zones.map((z) => z.name));
  const zoneById = (id: string) => o.zones.find((z) => z.id === id);
  const changes = new Map<string, number>();
  const batches: FakeRoute53["batches"] = [];
  let changeSeq = 0;
  const setsOf = (zone: string) => {
    const by = new Map<string, { name: string; type: string; ttl: number; values: string[] }>();
    for (const r of store.records(zone)) {
      const k = `${r.name} ${r.type}`;
      const set = by.get(k) ?? { name: r.name, type: r.type, ttl: r.ttl, values: [] };
      set.values.push(r.content);
      by.set(k, set);
    }
    return [...by.values()].sort((a, b) => (key(a.name) === key(b.name) ? (a.type < b.type ? -1 : 1) : key(a.name) < key(b.name) ? -1 : 1));
  };
  const replace = (zone: string, name: string, type: string, values: string[], ttl: number) => {
    for (const r of store.find(zone, name, type)) store.remove(r.id);
    for (const content of values) store.add({ zone, name, type, content, ttl, extra: {} });
  };
  for (const z of o.zones) replace(z.name, z.name, "NS", ["ns-1.awsdns-01.org.", "ns-2.awsdns-02.com."], 172800);
  const noZone = (id: string) => error(404, `NoSuchHostedZone: No hosted zone found with ID: ${id}`);
  const badMax = (raw: string | null, cap: number) => (raw !== null && !/^[1-9][0-9]*$/.test(raw) ? error(400, "InvalidInput: maxitems must be a positive integer") : Math.min(cap, Number(raw ?? cap)));

  const routes: Route[] = [
    {
      method: "GET", path: "/2013-04-01/hostedzonesbyname", query: ["dnsname", "hostedzoneid", "maxitems"],
      handle: ({ query }) => {
        const max = badMax(query.get("maxitems"), 100);
        if (max instanceof Response) return max;
        const from = key((query.get("dnsname") ?? "").toLowerCase().replace(/\.$/, ""));
        const zones = [...o.zones].sort((a, b) => (key(a.name) < key(b.name) ? -1 : 1)).filter((z) => key(z.name) >= from);
        const shown = zones.slice(0, max);
        const next = zones[max];
        return xml(`<ListHostedZonesByNameResponse xmlns="${XMLNS}"><HostedZones>${shown.map((z) => zoneXml(z, store.records(z.name).length)).join("")}</HostedZones>${query.has("dnsname") ? `<DNSName>${query.get("dnsname")}</DNSName>` : ""}<IsTruncated>${next ? "true" : "false"}</IsTruncated>${next ? `<NextDNSName>${next.name}.</NextDNSName><NextHostedZoneId>${next.id}</NextHostedZoneId>` : ""}<MaxItems>${max}</MaxItems></ListHostedZonesByNameResponse>`);
      },
    },
    {
      method: "GET", path: "/2013-04-01/hostedzone/:id",
      handle: ({ params }) => {
        const z = zoneById(params.id!);
        return z ? xml(`<GetHostedZoneResponse xmlns="${XMLNS}">${zoneXml(z, store.records(z.name).length)}<DelegationSet><NameServers><NameServer>ns-1.awsdns-01.org</NameServer></NameServers></DelegationSet></GetHostedZoneResponse>`) : noZone(params.id!);
      },
    },
    {
      method: "GET", path: "/2013-04-01/hostedzone/:id/rrset", query: ["name", "type", "identifier", "maxitems"],
      handle: ({ params, query }) => {
        const z = zoneById(params.id!);
        if (!z) return noZone(params.id!);
        const max = badMax(query.get("maxitems"), 300);
        if (max instanceof Response) return max;
        const name = query.get("name")?.toLowerCase().replace(/\.$/, "").replace(/^\\052(?=\.)/, "*");
        const type = query.get("type");
        if (type !== null && name === undefined) return error(400, "InvalidInput: The input is not valid: a type needs a name");
        return xml(page(setsOf(z.name), name, type ?? undefined, max, key));
      },
    },
    {
      method: "POST", path: "/2013-04-01/hostedzone/:id/rrset", write: true,
      handle: ({ params, text, headers }) => {
        const z = zoneById(params.id!);
        if (!z) return noZone(params.id!);
        if (!/^(text|application)\/xml\b/i.test(headers.get("content-type") ?? "")) return error(400, "InvalidInput: the body must be XML (Content-Type text/xml)");
        const batch = changesOf(text);
        if (typeof batch === "string") return error(400, `InvalidInput: ${batch}`);
        const refusals: string[] = [];
        for (const c of batch.changes) {
          const held = store.find(z.name, c.name, c.type);
          if (c.name !== z.name && !c.name.endsWith(`.${z.name}`)) refusals.push(`RRSet with DNS name ${c.name}. is not permitted in zone ${z.name}.`);
          else if (c.type === "A" && !c.values.every((v) => isIPv4(v))) refusals.push(`ARRDATAIllegalIPv4Address (Value is not a valid IPv4 address) encountered with '${c.values.join(",")}'`);
          else if (c.type === "AAAA" && !c.values.every((v) => isIPv6(v))) refusals.push(`AAAARRDATAIllegalIPv6Address (Value is not a valid IPv6 address) encountered with '${c.values.join(",")}'`);
          // TXT values are zone-file character-strings, each in double quotes (the rusoto helper quote_txt_record; an unquoted one is "InvalidTXTRDATA").
          else if (c.type === "TXT" && !c.values.every((v) => /^"[^"]*"$/.test(v))) refusals.push(`Invalid Resource Record: FATAL problem: InvalidTXTRDATA encountered at ${c.values.join(",")}`);
          else if (!(c.ttl >= 0 && c.ttl <= 2_147_483_647)) refusals.push(`TTL ${c.ttl} is out of range`);
          else if (c.action === "CREATE" && held.length > 0) refusals.push(`Tried to create resource record set [name='${c.name}.', type='${c.type}'] but it already exists`);
          else if (c.action === "DELETE" && held.length === 0) refusals.push(`Tried to delete resource record set [name='${c.name}.', type='${c.type}'] but it was not found`);
        }
        if (refusals.length > 0) return xml(`<InvalidChangeBatch xmlns="${XMLNS}"><Messages>${refusals.map((m) => `<Message>${m}</Message>`).join("")}</Messages><RequestId>req-${changeSeq}</RequestId></InvalidChangeBatch>`, 400);
        for (const c of batch.changes) replace(z.name, c.name, c.type, c.action === "DELETE" ? [] : c.values, c.ttl);
        batches.push({ zoneId: z.id, ...(batch.comment === undefined ? {} : { comment: batch.comment }), changes: batch.changes });
        const id = `C${String(++changeSeq).padStart(12, "0")}`;
        changes.set(id, o.pendingPolls ?? 1);
        return xml(`<ChangeResourceRecordSetsResponse xmlns="${XMLNS}"><ChangeInfo><Id>/change/${id}</Id><Status>PENDING</Status><SubmittedAt>${new Date().toISOString()}</SubmittedAt>${batch.comment === undefined ? "" : `<Comment>${batch.comment}</Comment>`}</ChangeInfo></ChangeResourceRecordSetsResponse>`);
      },
    },
    {
      method: "GET", path: "/2013-04-01/change/:id",
      handle: ({ params }) => {
        const left = changes.get(params.id!);
        if (left === undefined) return error(404, `NoSuchChange: A change with the specified change ID does not exist: ${params.id}`);
        changes.set(params.id!, left - 1);
        return xml(`<GetChangeResponse xmlns="${XMLNS}"><ChangeInfo><Id>/change/${params.id}</Id><Status>${left > 0 ? "PENDING" : "INSYNC"}</Status><SubmittedAt>${new Date().toISOString()}</SubmittedAt></ChangeInfo></GetChangeResponse>`);
      },
    },
  ];

  const keys = o.keys;
  const fake = await startFakeService({
    name: "Amazon Route 53 API 2013-04-01",
    basePath: "",
    error,
    routes,
    auth(req, path, text) {
      const verdict = verifySigV4(req, text, keys, { region: "us-east-1", service: "route53", now: (o.now ?? Date.now)() });
      if (!verdict.ok) return error(403, `${verdict.code}: ${verdict.message}`);
      const action = actionOf(req.method, path);
      const allowed = keys[verdict.accessKeyId]?.allow;
      if (action && allowed && !allowed.includes(action)) return error(403, `AccessDenied: User: arn:aws:iam::123456789012:user/ddnsd is not authorized to perform: route53:${action}`);
      return undefined;
    },
  });
  const zoneOf = (name: string) => store.zoneOf(name) ?? o.zones[0]!.name;
  return {
    ...fake,
    store,
    batches,
    read: (name, type) => store.read(name, type),
    edit: (name, type, contents, ttl = 300) => replace(zoneOf(name), name, type, contents, ttl),
    ttlOf: (name, type) => store.find(zoneOf(name), name, type)[0]?.ttl,
  };
}
