import type { RecordType } from "../../core/family.ts";
import { fail, ok, type Answer } from "../kit/answer.ts";
import { createRestApi } from "../kit/rest-api.ts";
import type { RrsetApi, RrsetChange } from "../kit/rrset-provider.ts";
import type { ProviderDeps } from "../kit/types.ts";
import { createZoneFinder, type Zone } from "../kit/zone-finder.ts";
import { explainRoute53, errorOf } from "./route53-errors.ts";
import { element, elements, textOf } from "./route53-xml.ts";
import { sigv4Fetch } from "./sigv4-fetch.ts";

/**
 * Route 53 API 2013-04-01 (docs/providers/route53.md): hosted zones by name (or the one DDNS_ROUTE53_HOSTED_ZONE_ID
 * names), the set of a name and type read with ListResourceRecordSets, written with one UPSERT change batch per zone,
 * and the batch's GetChange polled until INSYNC. Every request is signed (sigv4-fetch.ts); bodies are XML.
 */
export interface Route53Settings { key: string; token: string; sessionToken?: string | undefined; apiUrl: string; zoneId?: string | undefined }
export interface HostedZone extends Zone { id: string }

const V = "/2013-04-01";
const XMLNS = "https://route53.amazonaws.com/doc/2013-04-01/";
/** Names come back fully qualified with a trailing dot, special characters as `\ooo` octal escapes (`\052` = `*`). */
const nameOf = (raw: string) => raw.replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8))).replace(/\.$/, "").toLowerCase();
const idOf = (raw: string | undefined) => raw?.replace(/^\/(hostedzone|change)\//, "");
const unreadable = (what: string, write: boolean) =>
  fail({ kind: "transient", reason: `Route 53 answered with XML that is not ${what}; if this persists, check DDNS_PROVIDER_API_URL`, mayHaveArrived: write });

function changeBatch(changes: RrsetChange[]): string {
  const comment = changes.find((c) => c.comment !== undefined)?.comment;
  // A change with no values deletes the set: Route 53's DELETE names the exact values and TTL, and is refused when
  // the set holds anything else (so a set changed since it was read stays).
  const one = (c: RrsetChange) => {
    const deleting = c.values.length === 0;
    const values = deleting ? (c.previous?.values ?? []) : c.values;
    return `<Change>${element("Action", deleting ? "DELETE" : "UPSERT")}<ResourceRecordSet>${element("Name", `${c.name}.`)}${element("Type", c.type)}${element("TTL", c.ttl)}` +
      `<ResourceRecords>${values.map((v) => `<ResourceRecord>${element("Value", v)}</ResourceRecord>`).join("")}</ResourceRecords></ResourceRecordSet></Change>`;
  };
  return `<?xml version="1.0" encoding="UTF-8"?><ChangeResourceRecordSetsRequest xmlns="${XMLNS}"><ChangeBatch>${comment === undefined ? "" : element("Comment", comment.slice(0, 256))}<Changes>${changes.map(one).join("")}</Changes></ChangeBatch></ChangeResourceRecordSetsRequest>`;
}

export function route53Api(s: Route53Settings, deps: ProviderDeps): RrsetApi<HostedZone, string> {
  const secrets = [s.key, s.token, ...(s.sessionToken ? [s.sessionToken] : [])];
  const signed = sigv4Fetch(deps.fetch, { accessKeyId: s.key, secretAccessKey: s.token, ...(s.sessionToken ? { sessionToken: s.sessionToken } : {}) });
  const api = createRestApi({ ...deps, fetch: signed }, { service: "Route 53", baseUrl: s.apiUrl, secrets, explain: explainRoute53, errorText: (f) => errorOf(f.body)?.message });
  const zoneOf = (xml: string): HostedZone | undefined => {
    const id = idOf(textOf(xml, "Id"));
    const name = textOf(xml, "Name");
    return id && name ? { id, name: nameOf(name) } : undefined;
  };

  /** The hosted zone of that name, a public one before a private one of the same name. */
  async function byName(candidate: string, signal: AbortSignal): Promise<Answer<HostedZone | undefined>> {
    const a = await api.text("GET", `${V}/hostedzonesbyname`, { query: { dnsname: candidate, maxitems: 10 }, signal });
    if (!a.ok) return a;
    if (!/<ListHostedZonesByNameResponse[\s>]/.test(a.value)) return unreadable("a ListHostedZonesByNameResponse", false);
    const zones = elements(a.value, "HostedZone").filter((z) => zoneOf(z)?.name === candidate);
    const chosen = zones.find((z) => textOf(z, "PrivateZone") !== "true") ?? zones[0];
    return ok(chosen === undefined ? undefined : zoneOf(chosen));
  }
  let fixed: Promise<Answer<HostedZone | undefined>> | undefined;
  /** The zone DDNS_ROUTE53_HOSTED_ZONE_ID names, asked once (again only after a failure). */
  const named = (id: string, signal: AbortSignal) =>
    (fixed ??= api.text("GET", `${V}/hostedzone/${encodeURIComponent(id)}`, { signal }).then((a) => {
      if (!a.ok) fixed = undefined;
      return a.ok ? (/<GetHostedZoneResponse[\s>]/.test(a.value) ? ok(zoneOf(elements(a.value, "HostedZone")[0] ?? "")) : unreadable("a GetHostedZoneResponse", false)) : a;
    }));

  return {
    service: "Route 53",
    zoneFix: s.zoneId ? `DDNS_ROUTE53_HOSTED_ZONE_ID names the hosted zone ${JSON.stringify(s.zoneId)}, which does not hold it: check the variable` : "create a public hosted zone for the domain in the AWS account of DDNS_PROVIDER_API_KEY, or set DDNS_ROUTE53_HOSTED_ZONE_ID",
    defaultTtl: 300,
    // Route 53 wants a TXT value in double quotes (InvalidTXTRDATA otherwise).
    txtValue: (text) => `"${text}"`,
    maxPerWrite: 100,
    deletesSets: true,
    zones: createZoneFinder<HostedZone>({ now: deps.now, lookup: (candidate, signal) => (s.zoneId ? named(s.zoneId, signal) : byName(candidate, signal)) }),
    async read(zone, name, type: RecordType, signal) {
      const query = { name: `${name}.`, type, maxitems: 1 };
      const a = await api.text("GET", `${V}/hostedzone/${zone.id}/rrset`, { query, signal });
      if (!a.ok) return a;
      if (!/<ListResourceRecordSetsResponse[\s>]/.test(a.value)) return unreadable("a ListResourceRecordSetsResponse", false);
      // The listing starts at the name and type asked for: the first set is it, or the set does not exist.
      const set = elements(a.value, "ResourceRecordSet")[0];
      if (!set || nameOf(textOf(set, "Name") ?? "") !== name || textOf(set, "Type") !== type || textOf(set, "SetIdentifier") !== undefined) return ok(undefined);
      const ttl = Number(textOf(set, "TTL"));
      return ok({ values: elements(set, "Value").map((v) => textOf(`<v>${v}</v>`, "v") ?? ""), ...(Number.isInteger(ttl) ? { ttl } : {}) });
    },
    async write(zone, changes, signal) {
      const a = await api.text("POST", `${V}/hostedzone/${zone.id}/rrset/`, { body: changeBatch(changes), headers: { "Content-Type": "text/xml" }, signal });
      if (!a.ok) return a;
      const id = idOf(textOf(elements(a.value, "ChangeInfo")[0] ?? "", "Id"));
      if (!id) return unreadable("a ChangeResourceRecordSetsResponse", true);
      return ok(textOf(a.value, "Status") === "INSYNC" ? undefined : id);
    },
    async confirm(id, signal) {
      const a = await api.text("GET", `${V}/change/${encodeURIComponent(id)}`, { signal });
      if (!a.ok) return a;
      const status = textOf(elements(a.value, "ChangeInfo")[0] ?? "", "Status");
      return status === "INSYNC" ? ok("done") : status === "PENDING" ? ok("pending") : unreadable("a GetChangeResponse", true);
    },
  };
}
