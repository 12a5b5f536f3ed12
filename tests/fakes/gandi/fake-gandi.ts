import { isIPv4, isIPv6 } from "node:net";
import * as v from "valibot";
import { bearerToken, json, startFakeService, type FakeService, type Route } from "../kit/fake-service.ts";
import { createRrsetStore, type RrsetStore, type StoredSet } from "../kit/rrset-store.ts";
import { txtProblem } from "../kit/txt-presentation.ts";

/**
 * A strict fake of Gandi's LiveDNS API v5 (https://api.gandi.net/v5/livedns), written on 2026-12-02 from Gandi's
 * reference (api.gandi.net/docs/livedns/ and /docs/authentication/: `Authorization: Bearer <personal access token>`,
 * the `{code, cause, message, object}` error body; 401 for a wrong API key, 403 "in case the bearer token has expired,
 * does not have enough permission or does not exist") and cross-checked against the clients that use it:
 * libdns/gandi (client.go: GET /domains/{fqdn}, GET and PUT /domains/{fqdn}/records/{name}/{type}, 201 with no set
 * on PUT), go-acme/lego providers/dns/gandiv5 (minimum TTL 300; `{"message": …}` answers; 404 on a GET of a set that
 * does not exist) and qdm12/ddns-updater's gandi provider (PUT `{rrset_values, rrset_ttl}`, 201 expected).
 * - `GET /domains`: the token's LiveDNS domains (`fqdn`, `domain_href`, `domain_records_href`…); the part of the
 *   reference read here names no pagination for it, so the fake serves them all. `GET /domains/{fqdn}`: one, or 404.
 * - `GET /domains/{fqdn}/records/{name}/{type}` ("@" the apex): `{rrset_name, rrset_type, rrset_ttl, rrset_values,
 *   rrset_href}`, or 404 `{"code": 404, "cause": "Not Found", "message": "The resource could not be found.", …}`.
 * - `PUT` on the same path, `{rrset_values, rrset_ttl?}` (TTL 300…2592000, default 10800): 201
 *   `{"message": "DNS Record Created"}`; a refused body: 400 with `errors: [{location, name, description}]`.
 * - `DELETE` on the same path: 204, the set is gone; 404 when there is none (the reference's "Delete a record").
 * - No Authorization header: 401; a bearer token that does not exist: 403; a token without the permission "Manage
 *   domain name technical configurations": 403 on writes.
 * Left open by the documentation, so the fake picks the strict side: unknown body fields and query parameters are
 * refused (400), an A value must be an IPv4 address and an AAAA value an IPv6 one, names must be lower case and
 * relative to the domain. Gandi documents no request budget figures; the fake's 429 carries `Retry-After`.
 * TXT values (looked up 2026-12-02): `rrset_values` in zone-file syntax, one quoted character-string each —
 * Posh-ACME's DnsPlugins/Gandi.ps1 (3.18.1) writes `"\"<text>\""` and finds its own value as `"\"<text>\""` in
 * what LiveDNS returns (lego's gandiv5 sends bare ACME tokens, one word that LiveDNS evidently takes). The fake is on
 * the strict side: a value that is not quoted character-strings (or has one over 255 characters) is refused (400).
 */
export interface FakeGandiOptions {
  tokens: Record<string, "manage" | "read">;
  zones: string[];
}

export interface FakeGandi extends FakeService {
  store: RrsetStore;
  read(name: string, type: string): string[];
  edit(name: string, type: string, values: string[], ttl?: number): void;
  set(name: string, type: string): StoredSet | undefined;
}

const CAUSES: Record<number, [string, string]> = { 400: ["Bad Request", "HTTPBadRequest"], 401: ["Unauthorized", "HTTPUnauthorized"], 403: ["Forbidden", "HTTPForbidden"], 404: ["Not Found", "HTTPNotFound"], 405: ["Method Not Allowed", "HTTPMethodNotAllowed"], 415: ["Unsupported Media Type", "HTTPUnsupportedMediaType"], 429: ["Too Many Requests", "HTTPTooManyRequests"] };
const error = (status: number, message: string, more: object = {}) => {
  const [cause, object] = CAUSES[status] ?? ["Internal Server Error", "HTTPInternalServerError"];
  return json(status, { code: status, cause, message, object, ...more }, status === 429 ? { "Retry-After": "60" } : {});
};
const invalid = (name: string, description: string) => error(400, "Validation error", { errors: [{ location: "body", name, description }] });
const BODY = v.strictObject({ rrset_values: v.pipe(v.array(v.string()), v.minLength(1, "must not be empty")), rrset_ttl: v.optional(v.pipe(v.number(), v.integer())) });

export async function startFakeGandi(o: FakeGandiOptions): Promise<FakeGandi> {
  const store = createRrsetStore(o.zones);
  const absolute = (name: string, zone: string) => (name === "@" ? zone : `${name}.${zone}`);
  const href = (zone: string, name: string, type: string) => `https://api.gandi.net/v5/livedns/domains/${zone}/records/${encodeURIComponent(name)}/${type}`;

  const domain = (fqdn: string) => ({ fqdn, fqdn_unicode: fqdn, domain_href: `https://api.gandi.net/v5/livedns/domains/${fqdn}`, domain_records_href: `https://api.gandi.net/v5/livedns/domains/${fqdn}/records`, automatic_snapshots: true });
  const routes: Route[] = [
    { method: "GET", path: "/domains", query: [], handle: () => json(200, store.zones().map(domain)) },
    {
      method: "GET", path: "/domains/:fqdn", query: [],
      handle: ({ params }) => (store.hasZone(params.fqdn!) && params.fqdn === params.fqdn!.toLowerCase()
        ? json(200, domain(params.fqdn!))
        : error(404, "The resource could not be found.")),
    },
    {
      method: "GET", path: "/domains/:fqdn/records/:name/:type", query: [],
      handle: ({ params }) => {
        const held = store.hasZone(params.fqdn!) ? store.get(params.fqdn!, absolute(params.name!, params.fqdn!), params.type!) : undefined;
        return held
          ? json(200, { rrset_name: params.name, rrset_type: held.type, rrset_ttl: held.ttl, rrset_values: held.records.map((r) => r.value), rrset_href: href(held.zone, params.name!, held.type) })
          : error(404, "The resource could not be found.");
      },
    },
    {
      method: "PUT", path: "/domains/:fqdn/records/:name/:type", body: BODY, invalidStatus: 400, write: true,
      handle: ({ params, body }) => {
        const { fqdn, name, type } = params as { fqdn: string; name: string; type: string };
        if (!store.hasZone(fqdn)) return error(404, "The resource could not be found.");
        const b = body as v.InferOutput<typeof BODY>;
        if (name !== name.toLowerCase() || name.endsWith(".") || name === fqdn || name.endsWith(`.${fqdn}`)) return invalid("rrset_name", "must be lower case and relative to the domain");
        const ttl = b.rrset_ttl ?? 10_800;
        if (ttl < 300 || ttl > 2_592_000) return invalid("rrset_ttl", `${ttl} is not between 300 and 2592000`);
        const wrong = b.rrset_values.find((x) => (type === "A" && !isIPv4(x)) || (type === "AAAA" && !isIPv6(x)));
        if (wrong !== undefined) return invalid("rrset_values", `${JSON.stringify(wrong)} is not a valid ${type} value`);
        const unquoted = type === "TXT" ? b.rrset_values.map(txtProblem).find(Boolean) : undefined;
        if (unquoted) return invalid("rrset_values", unquoted);
        store.put({ zone: fqdn, name: absolute(name, fqdn), type, ttl, records: [...new Set(b.rrset_values)].map((value) => ({ value })) });
        return json(201, { message: "DNS Record Created" });
      },
    },
    {
      method: "DELETE", path: "/domains/:fqdn/records/:name/:type", query: [], write: true,
      handle: ({ params }) => {
        const { fqdn, name, type } = params as { fqdn: string; name: string; type: string };
        if (!store.hasZone(fqdn) || !store.get(fqdn, absolute(name, fqdn), type)) return error(404, "The resource could not be found.");
        store.remove(fqdn, absolute(name, fqdn), type);
        return new Response(null, { status: 204 });
      },
    },
  ];

  const fake = await startFakeService({
    name: "Gandi LiveDNS v5",
    basePath: "/v5/livedns",
    error: (status, message) => (status === 400 || status === 422 ? invalid("body", message) : error(status, message)),
    routes,
    auth(req) {
      const token = bearerToken(req);
      if (token === undefined) return error(401, "The server could not verify that you authenticated to access the requested URL.");
      const grant = o.tokens[token];
      return grant === undefined || (grant === "read" && req.method !== "GET") ? error(403, "Access was denied to this resource.") : undefined;
    },
  });
  return {
    ...fake,
    store,
    read: (name, type) => store.read(name, type),
    edit: (name, type, values, ttl) => store.edit(name, type, values, ttl),
    set: (name, type) => {
      const zone = store.zoneOf(name);
      return zone ? store.get(zone, name, type) : undefined;
    },
  };
}
