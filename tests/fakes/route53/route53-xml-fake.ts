/**
 * The XML of the Route 53 fake: its answers, and a strict reading of a ChangeResourceRecordSetsRequest (the elements
 * the API Reference lists for simple record sets, in order; anything else is refused). Written apart from ddnsd's
 * own XML code, so that a mistake there cannot hide here.
 */
export const XMLNS = "https://route53.amazonaws.com/doc/2013-04-01/";

export const errorXml = (type: string, code: string, message: string) =>
  `<?xml version="1.0"?>\n<ErrorResponse xmlns="${XMLNS}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${esc(message)}</Message></Error><RequestId>8f2b1c3e-fake</RequestId></ErrorResponse>`;

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const unesc = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
/** Names as Route 53 shows them: trailing dot, `*` as `\052`. */
const shownName = (name: string) => `${name.replace(/^\*(?=\.|$)/, "\\052")}.`;

export const zoneXml = (z: { id: string; name: string; private?: boolean }, count: number) =>
  `<HostedZone><Id>/hostedzone/${z.id}</Id><Name>${z.name}.</Name><CallerReference>ref-${z.id}</CallerReference><Config><PrivateZone>${z.private ? "true" : "false"}</PrivateZone></Config><ResourceRecordSetCount>${count}</ResourceRecordSetCount></HostedZone>`;

type Set = { name: string; type: string; ttl: number; values: string[] };
const setXml = (s: Set) =>
  `<ResourceRecordSet><Name>${shownName(s.name)}</Name><Type>${s.type}</Type><TTL>${s.ttl}</TTL><ResourceRecords>${s.values.map((v) => `<ResourceRecord><Value>${esc(v)}</Value></ResourceRecord>`).join("")}</ResourceRecords></ResourceRecordSet>`;

/** A ListResourceRecordSetsResponse from (name, type) on, `max` sets. */
export function page(sets: Set[], name: string | undefined, type: string | undefined, max: number, key: (n: string) => string): string {
  const from = sets.filter((s) => name === undefined || key(s.name) > key(name) || (s.name === name && (type === undefined || s.type >= type)));
  const shown = from.slice(0, max);
  const next = from[max];
  const more = next ? `<IsTruncated>true</IsTruncated><NextRecordName>${shownName(next.name)}</NextRecordName><NextRecordType>${next.type}</NextRecordType>` : "<IsTruncated>false</IsTruncated>";
  return `<ListResourceRecordSetsResponse xmlns="${XMLNS}"><ResourceRecordSets>${shown.map(setXml).join("")}</ResourceRecordSets>${more}<MaxItems>${max}</MaxItems></ListResourceRecordSetsResponse>`;
}

export interface ParsedChange { action: string; name: string; type: string; ttl: number; values: string[] }

/** Consumes `<tag>` … `</tag>` at the start of `rest` (after white space); its inner text, or undefined. */
function take(rest: { s: string }, tag: string): string | undefined {
  const m = new RegExp(`^\\s*<${tag}>([\\s\\S]*?)</${tag}>`).exec(rest.s);
  if (!m) return undefined;
  rest.s = rest.s.slice(m[0].length);
  return m[1]!;
}

/** The batch, or what is wrong with it. */
export function changesOf(body: string): { comment?: string; changes: ParsedChange[] } | string {
  const root = new RegExp(`^\\s*(<\\?xml[^>]*\\?>)?\\s*<ChangeResourceRecordSetsRequest xmlns="${XMLNS.replace(/[./]/g, "\\$&")}">\\s*<ChangeBatch>([\\s\\S]*)</ChangeBatch>\\s*</ChangeResourceRecordSetsRequest>\\s*$`).exec(body);
  if (!root) return "the body is not a ChangeResourceRecordSetsRequest of the 2013-04-01 namespace";
  const rest = { s: root[2]! };
  const comment = take(rest, "Comment");
  const list = take(rest, "Changes");
  if (list === undefined || rest.s.trim() !== "") return "ChangeBatch holds an element other than Comment and Changes";
  const changes: ParsedChange[] = [];
  const items = { s: list };
  for (let change = take(items, "Change"); change !== undefined; change = take(items, "Change")) {
    const c = { s: change };
    const action = take(c, "Action");
    const set = take(c, "ResourceRecordSet");
    if (!action || !["CREATE", "DELETE", "UPSERT"].includes(action) || set === undefined || c.s.trim() !== "") return "a Change needs an Action (CREATE, DELETE or UPSERT) and a ResourceRecordSet, nothing else";
    const r = { s: set };
    const name = take(r, "Name");
    const type = take(r, "Type");
    const ttl = take(r, "TTL");
    const records = take(r, "ResourceRecords");
    if (!name || !type || ttl === undefined || !/^\d+$/.test(ttl) || records === undefined || r.s.trim() !== "") return "a simple ResourceRecordSet is Name, Type, TTL (an integer) and ResourceRecords, in that order";
    const values: string[] = [];
    const rr = { s: records };
    for (let one = take(rr, "ResourceRecord"); one !== undefined; one = take(rr, "ResourceRecord")) {
      const v = { s: one };
      const value = take(v, "Value");
      if (value === undefined || v.s.trim() !== "") return "a ResourceRecord holds exactly one Value";
      values.push(unesc(value));
    }
    if (rr.s.trim() !== "" || values.length === 0) return "ResourceRecords holds one or more ResourceRecord";
    changes.push({ action, name: name.toLowerCase().replace(/\.$/, "").replace(/^\\052(?=\.)/, "*"), type, ttl: Number(ttl), values });
  }
  if (items.s.trim() !== "" || changes.length === 0) return "Changes holds one or more Change";
  if (changes.length > 1000) return "a batch holds at most 1000 changes";
  return { ...(comment === undefined ? {} : { comment: unesc(comment) }), changes };
}
