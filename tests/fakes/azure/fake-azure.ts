import { isIPv4, isIPv6 } from "node:net";
import * as v from "valibot";
import { bearerToken, json, startFakeService, type FakeService, type Route } from "../kit/fake-service.ts";
import { createZoneStore, type ZoneStore } from "../kit/zone-store.ts";

/**
 * A strict fake of Azure DNS (Azure Resource Manager, api-version 2018-05-01) and Microsoft Entra ID's v2.0 token
 * endpoint, written from learn.microsoft.com/rest/api/dns (Zones - List By Resource Group; Record Sets - Get,
 * Create Or Update with If-Match / If-None-Match; the RecordSet and error shapes), the ARM common error responses,
 * and learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow, read 2026-12-02.
 * - POST /<tenant>/oauth2/v2.0/token, form: grant_type=client_credentials, client_id, client_secret, scope
 *   https://management.azure.com/.default. Unknown tenant → 400 AADSTS90002; unknown client → 400 AADSTS700016;
 *   wrong secret → 401 invalid_client AADSTS7000215. Tokens live `tokenLifeS` (default 3599).
 * - ARM calls need a live Bearer token (else 401 InvalidAuthenticationToken) and `api-version=2018-05-01` (else 400
 *   MissingApiVersionParameter / InvalidApiVersionParameter); an app in `readOnly` gets 403 AuthorizationFailed on
 *   a PUT. Another subscription → 404 SubscriptionNotFound, another group → 404 ResourceGroupNotFound, another zone
 *   → 404 ParentResourceNotFound, a missing set → 404 NotFound. Errors: `{"error": {"code", "message"}}`.
 * - PUT: the body is `{properties: {TTL, metadata?, ARecords | AAAARecords | TXTRecords}}` (a TxtRecord is
 *   `{value: string[]}`, its strings of at most 1024 characters each), strict; `If-Match` must be the set's
 *   etag and `If-None-Match: *` refuses an existing set (412 PreconditionFailed). Zone lists page by `nextLink`.
 * - DELETE (Record Sets - Delete): 200 when the set is deleted, 204 when it did not exist; an `If-Match` that is not the
 *   set's etag → 412 PreconditionFailed, nothing deleted.
 * The AADSTS codes of the token errors (90002, 700016, 7000215) are Entra ID's error-code table as commonly seen;
 * the client-credentials page documents only the envelope. ParentResourceNotFound for a missing zone is an
 * assumption (the reference lists only the default error response).
 */
export interface FakeAzureOptions {
  tenant: string;
  subscription: string;
  resourceGroup: string;
  zones: string[];
  /** client id → secret. */
  apps: Record<string, string>;
  readOnly?: string[];
  tokenLifeS?: number;
  zonesPerPage?: number;
  /** Hand out an app's token again while it is valid, as Entra ID's token cache may (default: a new one each time). */
  reuseTokens?: boolean;
}
export interface FakeAzure extends FakeService {
  store: ZoneStore;
  grants: () => number;
  read(name: string, type: string): string[];
  edit(name: string, type: string, contents: string[], ttl?: number, metadata?: Record<string, string>): void;
  /** What the set holds beyond its addresses. */
  setOf(name: string, type: string): { ttl?: number; etag?: string; metadata?: Record<string, string> };
}

const CODES: Record<number, string> = { 400: "BadRequest", 401: "InvalidAuthenticationToken", 403: "AuthorizationFailed", 404: "NotFound", 405: "MethodNotAllowed", 412: "PreconditionFailed", 415: "UnsupportedMediaType", 422: "BadRequest", 429: "TooManyRequests", 500: "InternalServerError" };
/** `error(status, "Code: text")` picks the code; a bare text gets the status's usual one. */
const error = (status: number, message: string) => {
  const m = /^([A-Z][A-Za-z]+): ([\s\S]*)$/.exec(message);
  return json(status, { error: { code: m ? m[1] : (CODES[status] ?? "InternalServerError"), message: m ? m[2] : message } });
};
const Records = {
  ARecords: v.optional(v.array(v.strictObject({ ipv4Address: v.string() }))),
  AAAARecords: v.optional(v.array(v.strictObject({ ipv6Address: v.string() }))),
  TXTRecords: v.optional(v.array(v.strictObject({ value: v.array(v.pipe(v.string(), v.maxLength(1024))) }))),
};
const FIELDS = { A: "ARecords", AAAA: "AAAARecords", TXT: "TXTRecords" } as const;
type SetType = keyof typeof FIELDS;
const recordsOf = (type: string, contents: string[]) =>
  type === "TXT" ? { TXTRecords: contents.map((c) => ({ value: [c] })) } : type === "A" ? { ARecords: contents.map((c) => ({ ipv4Address: c })) } : { AAAARecords: contents.map((c) => ({ ipv6Address: c })) };
const PutBody = v.strictObject({ properties: v.strictObject({ TTL: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(2_147_483_647)), metadata: v.optional(v.record(v.string(), v.string())), ...Records }) });

export async function startFakeAzure(o: FakeAzureOptions): Promise<FakeAzure> {
  const store = createZoneStore(o.zones);
  const sets = new Map<string, { etag: string; metadata?: Record<string, string> }>();
  const live = new Map<string, { until: number; app: string }>();
  let grants = 0;
  let etags = 0;
  const origin = { url: "" };
  const fqdn = (zone: string, rel: string) => (rel === "@" ? zone : `${rel.toLowerCase()}.${zone}`);
  const replace = (zone: string, name: string, type: string, contents: string[], ttl: number, metadata?: Record<string, string>) => {
    for (const r of store.find(zone, name, type)) store.remove(r.id);
    for (const content of contents) store.add({ zone, name, type, content, ttl, extra: {} });
    if (contents.length) sets.set(`${name} ${type}`, { etag: `etag-${++etags}`, ...(metadata ? { metadata } : {}) });
    else sets.delete(`${name} ${type}`);
  };
  const shown = (zone: string, rel: string, type: string) => {
    const name = fqdn(zone, rel);
    const rs = store.find(zone, name, type);
    const meta = sets.get(`${name} ${type}`);
    if (!rs.length || !meta) return undefined;
    const records = recordsOf(type, rs.map((r) => r.content));
    return { id: `/subscriptions/${o.subscription}/resourceGroups/${o.resourceGroup}/providers/Microsoft.Network/dnszones/${zone}/${type}/${rel}`, name: rel, type: `Microsoft.Network/dnszones/${type}`, etag: meta.etag, properties: { fqdn: `${name}.`, TTL: rs[0]!.ttl, ...(meta.metadata ? { metadata: meta.metadata } : {}), provisioningState: "Succeeded", ...records } };
  };
  /** The checks every ARM call shares; a refusal, or undefined. */
  const scope = (p: Record<string, string>, q: URLSearchParams, zone?: string) => {
    const version = q.get("api-version");
    if (version === null) return error(400, "MissingApiVersionParameter: The api-version query parameter (?api-version=) is required for all requests.");
    if (version !== "2018-05-01") return error(400, `InvalidApiVersionParameter: The api-version '${version}' is invalid.`);
    if (p.sub !== o.subscription) return error(404, `SubscriptionNotFound: The subscription '${p.sub}' could not be found.`);
    if (p.rg?.toLowerCase() !== o.resourceGroup.toLowerCase()) return error(404, `ResourceGroupNotFound: Resource group '${p.rg}' could not be found.`);
    if (zone !== undefined && !store.hasZone(zone)) return error(404, `ParentResourceNotFound: Can not perform requested operation on nested resource. Parent resource '${zone}' not found.`);
    if (p.type !== undefined && !["A", "AAAA", "CNAME", "MX", "NS", "PTR", "SOA", "SRV", "TXT", "CAA"].includes(p.type)) return error(400, `BadRequest: The record type '${p.type}' is not supported.`);
    return undefined;
  };
  const set = "/:sub/resourceGroups/:rg/providers/Microsoft.Network/dnsZones/:zone/:type/:name";
  const routes: Route[] = [
    {
      method: "GET", path: "/:sub/resourceGroups/:rg/providers/Microsoft.Network/dnsZones", query: ["api-version", "$top", "$skipToken"],
      handle: ({ params, query }) => {
        const refused = scope(params, query);
        if (refused) return refused;
        const per = o.zonesPerPage ?? 100;
        const from = Number(query.get("$skipToken") ?? 0);
        const zones = store.zones().slice(from, from + per).map((name) => ({ id: `/subscriptions/${o.subscription}/resourceGroups/${o.resourceGroup}/providers/Microsoft.Network/dnszones/${name}`, name, type: "Microsoft.Network/dnszones", location: "global", properties: { zoneType: "Public" } }));
        const more = from + per < store.zones().length;
        return json(200, { value: zones, ...(more ? { nextLink: `${origin.url}/subscriptions/${params.sub}/resourceGroups/${params.rg}/providers/Microsoft.Network/dnsZones?api-version=2018-05-01&$skipToken=${from + per}` } : {}) });
      },
    },
    {
      method: "GET", path: set, query: ["api-version"],
      handle: ({ params, query }) => scope(params, query, params.zone) ?? (shown(params.zone!, params.name!, params.type!) ? json(200, shown(params.zone!, params.name!, params.type!)) : error(404, `NotFound: The resource record '${params.name}' does not exist in resource group '${o.resourceGroup}' of subscription '${o.subscription}'.`)),
    },
    {
      method: "PUT", path: set, query: ["api-version"], body: PutBody, invalidStatus: 400, write: true,
      handle: ({ params, query, body, headers }) => {
        const refused = scope(params, query, params.zone);
        if (refused) return refused;
        const app = live.get(bearerToken(new Request("http://x", { headers })) ?? "")?.app ?? "";
        if (o.readOnly?.includes(app)) return error(403, `AuthorizationFailed: The client '${app}' with object id '${app}' does not have authorization to perform action 'Microsoft.Network/dnszones/${params.type}/write' over scope '/subscriptions/${o.subscription}/resourceGroups/${o.resourceGroup}/providers/Microsoft.Network/dnszones/${params.zone}/${params.type}/${params.name}' or the scope is invalid.`);
        const zone = params.zone!;
        const name = fqdn(zone, params.name!);
        const before = shown(zone, params.name!, params.type!);
        const ifMatch = headers.get("if-match");
        if (ifMatch !== null && ifMatch !== before?.etag) return error(412, "PreconditionFailed: The Record set has been modified (etag mismatch).");
        if (headers.get("if-none-match") === "*" && before) return error(412, "PreconditionFailed: The Record set already exists.");
        const b = body as v.InferOutput<typeof PutBody>;
        const type = params.type as SetType;
        const p = b.properties;
        const values = type === "A" ? (p.ARecords ?? []).map((r) => r.ipv4Address) : type === "AAAA" ? (p.AAAARecords ?? []).map((r) => r.ipv6Address) : type === "TXT" ? (p.TXTRecords ?? []).map((r) => r.value.join("")) : [];
        const others = Object.values(FIELDS).filter((field) => field !== FIELDS[type] && p[field] !== undefined);
        if (others.length > 0 || values.length === 0) return error(400, `BadRequest: The record set of type '${params.type}' needs ${params.type}Records and no others.`);
        if (type !== "TXT" && !values.every((x) => (type === "A" ? isIPv4(x) : isIPv6(x)))) return error(400, `BadRequest: The value '${values.join(",")}' is not a valid ${type === "A" ? "IPv4" : "IPv6"} address.`);
        replace(zone, name, params.type!, values, b.properties.TTL, b.properties.metadata);
        return json(before ? 200 : 201, shown(zone, params.name!, params.type!));
      },
    },
    {
      // Record Sets - Delete: 200 when deleted, 204 when there was none; `If-Match` must be the set's etag (412).
      method: "DELETE", path: set, query: ["api-version"], write: true,
      handle: ({ params, query, headers, text }) => {
        const refused = scope(params, query, params.zone);
        if (refused) return refused;
        const app = live.get(bearerToken(new Request("http://x", { headers })) ?? "")?.app ?? "";
        if (o.readOnly?.includes(app)) return error(403, `AuthorizationFailed: The client '${app}' with object id '${app}' does not have authorization to perform action 'Microsoft.Network/dnszones/${params.type}/delete' over scope '/subscriptions/${o.subscription}/resourceGroups/${o.resourceGroup}/providers/Microsoft.Network/dnszones/${params.zone}/${params.type}/${params.name}' or the scope is invalid.`);
        if (text.length > 0) return error(400, "BadRequest: A DELETE takes no body.");
        const before = shown(params.zone!, params.name!, params.type!);
        const ifMatch = headers.get("if-match");
        if (ifMatch !== null && ifMatch !== "*" && ifMatch !== before?.etag) return error(412, "PreconditionFailed: The Record set has been modified (etag mismatch).");
        if (!before) return new Response(null, { status: 204 });
        replace(params.zone!, fqdn(params.zone!, params.name!), params.type!, [], 0);
        return new Response(null, { status: 200 });
      },
    },
  ];

  const fake = await startFakeService({
    name: "Azure DNS (ARM 2018-05-01)",
    basePath: "/subscriptions",
    error,
    routes,
    auth(req) {
      const token = bearerToken(req);
      const grant = token ? live.get(token) : undefined;
      if (!grant || grant.until < Date.now()) return error(401, "InvalidAuthenticationToken: The access token is invalid.");
      return undefined;
    },
    async extra(req) {
      const m = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(new URL(req.url).pathname);
      if (!m || req.method !== "POST") return undefined;
      const refuse = (status: number, error: string, description: string, code: number) => json(status, { error, error_description: `AADSTS${code}: ${description}`, error_codes: [code] });
      if (!/^application\/x-www-form-urlencoded/.test(req.headers.get("content-type") ?? "")) return refuse(400, "invalid_request", "The request body must contain the following parameter: 'grant_type'.", 900144);
      const form = new URLSearchParams(await req.text());
      if (decodeURIComponent(m[1]!) !== o.tenant) return refuse(400, "invalid_request", `Tenant '${m[1]}' not found.`, 90002);
      if (form.get("grant_type") !== "client_credentials") return refuse(400, "unsupported_grant_type", "The provided value for the input parameter 'grant_type' is not valid.", 70003);
      if (form.get("scope") !== "https://management.azure.com/.default") return refuse(400, "invalid_scope", "The provided value for the input parameter 'scope' is not valid.", 70011);
      const app = form.get("client_id") ?? "";
      if (!(app in o.apps)) return refuse(400, "unauthorized_client", `Application with identifier '${app}' was not found in the directory '${o.tenant}'.`, 700016);
      if (form.get("client_secret") !== o.apps[app]) return refuse(401, "invalid_client", "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.", 7000215);
      const life = o.tokenLifeS ?? 3599;
      const held = o.reuseTokens ? [...live].find(([, g]) => g.app === app && g.until > Date.now() + 60_000) : undefined;
      if (held) return (grants++, json(200, { token_type: "Bearer", expires_in: Math.floor((held[1].until - Date.now()) / 1000), ext_expires_in: life, access_token: held[0] }));
      const token = `eyJ0eXAiOiJKV1Qi.fake-${++grants}.${Math.random().toString(36).slice(2)}`;
      live.set(token, { until: Date.now() + life * 1000, app });
      return json(200, { token_type: "Bearer", expires_in: life, ext_expires_in: life, access_token: token });
    },
  });
  origin.url = fake.origin;
  const zoneFor = (name: string) => store.zoneOf(name) ?? o.zones[0]!;
  return {
    ...fake,
    store,
    grants: () => grants,
    read: (name, type) => store.read(name, type),
    edit: (name, type, contents, ttl = 300, metadata) => replace(zoneFor(name), name, type, contents, ttl, metadata),
    setOf: (name, type) => ({ ttl: store.find(zoneFor(name), name, type)[0]?.ttl, ...sets.get(`${name} ${type}`) }),
  };
}
