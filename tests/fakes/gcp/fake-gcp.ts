import { createPublicKey, verify, type KeyObject } from "node:crypto";
import { isIPv4, isIPv6 } from "node:net";
import * as v from "valibot";
import { bearerToken, json, startFakeService, type FakeService, type Route } from "../kit/fake-service.ts";
import { createZoneStore, type ZoneStore } from "../kit/zone-store.ts";
import { txtProblem } from "../kit/txt-presentation.ts";

/**
 * A strict fake of Google Cloud DNS API v1 and Google's OAuth 2.0 token endpoint, written from
 * cloud.google.com/dns/docs/reference/rest/v1 (managedZones.list, resourceRecordSets.list, changes.create,
 * changes.get; the Change and ResourceRecordSet resources) and developers.google.com/identity/protocols/oauth2/
 * service-account ("Using OAuth 2.0 for Server to Server Applications": the JWT's header and claim set, the
 * token request and its errors), read 2026-12-02.
 * - POST /token: form body grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer and assertion; the JWT's RS256
 *   signature is verified with the public key of the key pair the test generated (node:crypto), its iss/aud/scope/
 *   iat/exp checked (exp at most an hour after iat; iat within 5 minutes of now); else 400 invalid_grant.
 *   Tokens live `tokenLifeS` seconds (default 3599).
 * - API calls need `Authorization: Bearer <live token>`, else 401 UNAUTHENTICATED; an account in `readOnly` gets
 *   403 PERMISSION_DENIED on changes.create. Errors: `{"error": {code, message, status, errors: [{domain, reason,
 *   message}]}}`.
 * - A change's `deletions` must match the held set exactly (name, type, ttl, rrdatas) → else 412 conditionNotMet;
 *   an addition of a set that exists and is not deleted → 409 alreadyExists. Change status "pending" for
 *   `pendingPolls` changes.get calls, then "done". Names are fully qualified with a trailing dot.
 * The docs are silent on unknown body fields; the fake refuses them (400 invalid), and unknown query parameters.
 * The reference says deletions "must match existing data exactly" but names no status for a mismatch: 412
 * conditionNotMet (and 409 alreadyExists) are assumptions from client libraries, not documented statuses.
 * TXT rrdatas (looked up 2026-12-02): the ResourceRecordSet reference says rrdatas are "As defined in RFC 1035
 * (section 5)", i.e. zone-file syntax; Cloud DNS splits an unquoted value at blanks into several character-strings
 * (mailhardener.com, "How to enter TXT values in Google Cloud DNS": "wrap your input in double quotes"), and lego's
 * gcloud provider unquotes what it reads back. The fake is stricter than the service: every character-string must
 * be quoted and at most 255 characters (else 400 invalid), so a provider that sends the bare text is caught.
 */
export interface FakeGcpOptions {
  project: string;
  zones: Array<{ name: string; dnsName: string; visibility?: "public" | "private" }>;
  /** The service account's email and the PEM of its public key. */
  accounts: Record<string, string>;
  readOnly?: string[];
  pendingPolls?: number;
  tokenLifeS?: number;
}
export interface FakeGcp extends FakeService {
  tokenUrl: string;
  store: ZoneStore;
  /** Tokens issued so far. */
  grants: () => number;
  read(name: string, type: string): string[];
  edit(name: string, type: string, contents: string[], ttl?: number): void;
  changes: Array<{ additions: unknown[]; deletions: unknown[] }>;
}

const STATUS: Record<number, [string, string]> = { 400: ["INVALID_ARGUMENT", "invalid"], 401: ["UNAUTHENTICATED", "authError"], 403: ["PERMISSION_DENIED", "forbidden"], 404: ["NOT_FOUND", "notFound"], 405: ["METHOD_NOT_ALLOWED", "notAllowed"], 409: ["ALREADY_EXISTS", "alreadyExists"], 412: ["FAILED_PRECONDITION", "conditionNotMet"], 415: ["INVALID_ARGUMENT", "invalid"], 422: ["INVALID_ARGUMENT", "invalid"], 429: ["RESOURCE_EXHAUSTED", "rateLimitExceeded"], 500: ["INTERNAL", "internalError"] };
const error = (status: number, message: string) => {
  const [s, reason] = STATUS[status] ?? ["UNKNOWN", "backendError"];
  return json(status, { error: { code: status, message, status: s, errors: [{ domain: "global", reason, message }] } });
};
const Set = v.strictObject({ kind: v.optional(v.literal("dns#resourceRecordSet")), name: v.string(), type: v.string(), ttl: v.pipe(v.number(), v.integer(), v.minValue(0)), rrdatas: v.pipe(v.array(v.string()), v.minLength(1)) });
const ChangeBody = v.strictObject({ kind: v.optional(v.literal("dns#change")), additions: v.optional(v.array(Set)), deletions: v.optional(v.array(Set)) });
const b64 = (s: string) => Buffer.from(s, "base64url");

function checkJwt(jwt: string, keys: Map<string, KeyObject>, aud: string): string | undefined {
  const [h, p, sig] = jwt.split(".");
  if (!h || !p || !sig) return "Invalid JWT: Token must be a short-lived token and in a reasonable timeframe.";
  let header: { alg?: string }, claims: { iss?: string; scope?: string; aud?: string; iat?: number; exp?: number };
  try {
    header = JSON.parse(b64(h).toString());
    claims = JSON.parse(b64(p).toString());
  } catch {
    return "Invalid JWT: not JSON.";
  }
  const key = claims.iss ? keys.get(claims.iss) : undefined;
  if (header.alg !== "RS256" || !key) return "Invalid JWT Signature.";
  if (!verify("RSA-SHA256", Buffer.from(`${h}.${p}`), key, b64(sig))) return "Invalid JWT Signature.";
  const now = Date.now() / 1000;
  if (claims.aud !== aud) return `Invalid JWT: audience must be ${aud}.`;
  if (!claims.scope?.split(" ").some((s) => s.endsWith("/auth/ndev.clouddns.readwrite") || s.endsWith("/auth/cloud-platform"))) return "Invalid JWT: no scope for Cloud DNS.";
  if (typeof claims.iat !== "number" || typeof claims.exp !== "number" || Math.abs(claims.iat - now) > 300 || claims.exp - claims.iat > 3600 || claims.exp < now) return "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.";
  return undefined;
}

export async function startFakeGcp(o: FakeGcpOptions): Promise<FakeGcp> {
  const store = createZoneStore(o.zones.map((z) => z.dnsName.replace(/\.$/, "")));
  const keys = new Map(Object.entries(o.accounts).map(([email, pem]) => [email, createPublicKey(pem)]));
  const live = new Map<string, { until: number; email: string }>();
  const pending = new Map<string, number>();
  const changes: FakeGcp["changes"] = [];
  let grants = 0;
  const at = { origin: "" };
  const zoneOf = (project: string, zone: string) => (project === o.project ? o.zones.find((z) => z.name === zone) : undefined);
  const dnsOf = (z: { dnsName: string }) => z.dnsName.replace(/\.$/, "");
  const held = (zone: string, name: string, type: string) => {
    const rs = store.find(zone, name.replace(/\.$/, "").toLowerCase(), type);
    return rs.length ? { kind: "dns#resourceRecordSet", name: `${rs[0]!.name}.`, type, ttl: rs[0]!.ttl, rrdatas: rs.map((r) => r.content) } : undefined;
  };
  const replace = (zone: string, name: string, type: string, contents: string[], ttl: number) => {
    for (const r of store.find(zone, name, type)) store.remove(r.id);
    for (const content of contents) store.add({ zone, name, type, content, ttl, extra: {} });
  };
  const notFound = (what: string) => error(404, `The requested resource '${what}' was not found.`);

  const routes: Route[] = [
    {
      method: "GET", path: "/projects/:project/managedZones", query: ["dnsName", "maxResults", "pageToken"],
      handle: ({ params, query }) => {
        if (params.project !== o.project) return notFound(`projects/${params.project}`);
        const dns = query.get("dnsName")?.toLowerCase();
        const zones = o.zones.filter((z) => dns === undefined || z.dnsName === dns);
        return json(200, { kind: "dns#managedZonesListResponse", managedZones: zones.map((z, i) => ({ kind: "dns#managedZone", name: z.name, dnsName: z.dnsName, id: String(1000 + i), visibility: z.visibility ?? "public" })) });
      },
    },
    {
      method: "GET", path: "/projects/:project/managedZones/:zone/rrsets", query: ["name", "type", "maxResults", "pageToken"],
      handle: ({ params, query }) => {
        const z = zoneOf(params.project!, params.zone!);
        if (!z) return notFound(`managedZones/${params.zone}`);
        const name = query.get("name");
        const type = query.get("type");
        if (type !== null && name === null) return error(400, "Invalid value for 'type': a type filter needs a name.");
        if (name !== null && !name.endsWith(".")) return error(400, `Invalid value for 'name': '${name}' is not fully qualified.`);
        const sets = name === null ? [] : ["A", "AAAA", "NS", "SOA", "TXT"].filter((t) => type === null || t === type).map((t) => held(dnsOf(z), name, t)).filter(Boolean);
        return json(200, { kind: "dns#resourceRecordSetsListResponse", rrsets: sets });
      },
    },
    {
      method: "POST", path: "/projects/:project/managedZones/:zone/changes", body: ChangeBody, invalidStatus: 400, write: true,
      handle: ({ params, body, headers }) => {
        const z = zoneOf(params.project!, params.zone!);
        if (!z) return notFound(`managedZones/${params.zone}`);
        const who = live.get(bearerToken(new Request("http://x", { headers })) ?? "")?.email ?? "";
        if (o.readOnly?.includes(who)) return error(403, `Forbidden: ${who} does not have dns.changes.create access to the Google Cloud project.`);
        const b = body as v.InferOutput<typeof ChangeBody>;
        const zone = dnsOf(z);
        for (const [i, d] of (b.deletions ?? []).entries()) {
          const h = held(zone, d.name, d.type);
          if (!h || h.ttl !== d.ttl || [...h.rrdatas].sort().join() !== [...d.rrdatas].sort().join()) return error(412, `Precondition not met for 'entity.change.deletions[${i}]'`);
        }
        for (const [i, a] of (b.additions ?? []).entries()) {
          if (!a.name.endsWith(".") || !(a.name.toLowerCase().replace(/\.$/, "") === zone || a.name.toLowerCase().endsWith(`.${zone}.`))) return error(400, `Invalid value for 'entity.change.additions[${i}].name': '${a.name}'`);
          if ((a.type === "A" && !a.rrdatas.every((r) => isIPv4(r))) || (a.type === "AAAA" && !a.rrdatas.every((r) => isIPv6(r)))) return error(400, `Invalid value for 'entity.change.additions[${i}].rrdata[0]'`);
          const unquoted = a.type === "TXT" ? a.rrdatas.findIndex((r) => txtProblem(r) !== undefined) : -1;
          if (unquoted >= 0) return error(400, `Invalid value for 'entity.change.additions[${i}].rrdata[${unquoted}]': ${txtProblem(a.rrdatas[unquoted]!)}`);
          const deleted = (b.deletions ?? []).some((d) => d.name.toLowerCase() === a.name.toLowerCase() && d.type === a.type);
          if (held(zone, a.name, a.type) && !deleted) return error(409, `The resource 'entity.change.additions[${i}]' named '${a.name} (${a.type})' already exists`);
        }
        for (const d of b.deletions ?? []) replace(zone, d.name.replace(/\.$/, "").toLowerCase(), d.type, [], 0);
        for (const a of b.additions ?? []) replace(zone, a.name.replace(/\.$/, "").toLowerCase(), a.type, a.rrdatas, a.ttl);
        changes.push({ additions: b.additions ?? [], deletions: b.deletions ?? [] });
        const id = String(changes.length);
        pending.set(`${z.name}/${id}`, o.pendingPolls ?? 1);
        return json(200, { kind: "dns#change", id, status: "pending", startTime: new Date().toISOString(), additions: b.additions ?? [], deletions: b.deletions ?? [] });
      },
    },
    {
      method: "GET", path: "/projects/:project/managedZones/:zone/changes/:id",
      handle: ({ params }) => {
        const left = zoneOf(params.project!, params.zone!) ? pending.get(`${params.zone}/${params.id}`) : undefined;
        if (left === undefined) return notFound(`changes/${params.id}`);
        pending.set(`${params.zone}/${params.id}`, left - 1);
        return json(200, { kind: "dns#change", id: params.id, status: left > 0 ? "pending" : "done" });
      },
    },
  ];

  const fake = await startFakeService({
    name: "Google Cloud DNS API v1",
    basePath: "/dns/v1",
    error,
    routes,
    auth(req) {
      const token = bearerToken(req);
      const grant = token ? live.get(token) : undefined;
      if (!grant || grant.until < Date.now()) return error(401, "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.");
      return undefined;
    },
    async extra(req) {
      const url = new URL(req.url);
      if (url.pathname !== "/token" || req.method !== "POST") return undefined;
      const refuse = (description: string) => json(400, { error: "invalid_grant", error_description: description });
      if (!/^application\/x-www-form-urlencoded/.test(req.headers.get("content-type") ?? "")) return json(400, { error: "invalid_request", error_description: "Bad Request" });
      const form = new URLSearchParams(await req.text());
      if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer") return json(400, { error: "unsupported_grant_type", error_description: "Invalid grant_type" });
      const wrong = checkJwt(form.get("assertion") ?? "", keys, `${at.origin}/token`);
      if (wrong) return refuse(wrong);
      const claims = JSON.parse(b64(form.get("assertion")!.split(".")[1]!).toString()) as { iss: string };
      const token = `ya29.fake-${++grants}-${Math.random().toString(36).slice(2)}`;
      const life = o.tokenLifeS ?? 3599;
      live.set(token, { until: Date.now() + life * 1000, email: claims.iss });
      return json(200, { access_token: token, expires_in: life, token_type: "Bearer" });
    },
  });
  at.origin = fake.origin;
  const zoneFor = (name: string) => store.zoneOf(name) ?? dnsOf(o.zones[0]!);
  return {
    ...fake,
    tokenUrl: `${fake.origin}/token`,
    store,
    changes,
    grants: () => grants,
    read: (name, type) => store.read(name, type),
    edit: (name, type, contents, ttl = 300) => replace(zoneFor(name), name, type, contents, ttl),
  };
}
