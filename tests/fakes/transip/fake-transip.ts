import { verify, type KeyObject } from "node:crypto";
import { isIPv4, isIPv6 } from "node:net";
import * as v from "valibot";
import { bearerToken, json, startFakeService, type FakeService, type Route } from "../kit/fake-service.ts";
import { createZoneStore, type StoredRecord, type ZoneStore } from "../kit/zone-store.ts";

/**
 * A strict fake of the TransIP REST API v6 (https://api.transip.nl/v6), written on 2026-12-02 from TransIP's API
 * reference (api.transip.nl/rest/docs.html: `POST /auth` with `{login, nonce, read_only, expiration_time, label,
 * global_key}` and the body's RSA-SHA512 signature, base64, in `Signature`, answered 201 `{"token": "<JWT>"}`; a nonce
 * is used once; Bearer tokens; `GET /domains`; `GET|POST|PATCH|DELETE /domains/{domain}/dns` with `{"dnsEntry":
 * {name, expire, type, content}}`, PATCH naming the entry by name, expire and type; `{"error": "…"}` bodies) and cross-checked against the official SDK transip/gotransip v6
 * (authenticator/sign.go: PKCS#1 v1.5 over SHA-512 of the exact body; a 16-hex nonce; `expiration_time` such as
 * "30 minutes"; `global_key` false for whitelist-only keys; POST answers 200/201, PATCH and DELETE 204) and go-acme/lego's
 * provider. Left open, so the fake takes the strict side: unknown body fields are 400; an entry below 60 s or an A/AAAA
 * content of the wrong family is 406, and so is a PATCH that matches several entries; adding an entry that exists is 409; removing one that does not is 404; a
 * whitelist-only key asked for a global token is 403; listings are not paged.
 */
export interface FakeTransipOptions {
  /** login → the public key its signatures must verify with, and whether the key is whitelist-only. */
  accounts: Record<string, { publicKey: KeyObject; whitelistedOnly?: boolean }>;
  zones: string[];
}

export interface FakeTransip extends FakeService {
  store: ZoneStore;
  read(name: string, type: string): string[];
  edit(name: string, type: string, contents: string[], ttl?: number): void;
  /** Every token issued so far stops working (revoked in the control panel). */
  revokeTokens(): void;
  signIns(): number;
}

const error = (status: number, message: string) => json(status, { error: message });
const AUTH = v.strictObject({ login: v.string(), nonce: v.pipe(v.string(), v.minLength(1), v.maxLength(32)), read_only: v.boolean(), expiration_time: v.string(), label: v.optional(v.string()), global_key: v.boolean() });
const ENTRY = v.strictObject({ dnsEntry: v.strictObject({ name: v.string(), expire: v.pipe(v.number(), v.integer()), type: v.string(), content: v.string() }) });
const UNITS: Record<string, number> = { second: 1, seconds: 1, minute: 60, minutes: 60, hour: 3600, hours: 3600, day: 86_400, days: 86_400, week: 604_800, weeks: 604_800 };
const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");

export async function startFakeTransip(o: FakeTransipOptions): Promise<FakeTransip> {
  const store = createZoneStore(o.zones);
  const nonces = new Set<string>();
  const tokens = new Map<string, number>();
  let signIns = 0;
  const nameOf = (r: StoredRecord) => (r.name === r.zone ? "@" : r.name.slice(0, -(r.zone.length + 1)));
  const shown = (r: StoredRecord) => ({ name: nameOf(r), expire: r.ttl, type: r.type, content: r.content });
  const zoneOf = (d: string) => (store.hasZone(d.toLowerCase()) ? d.toLowerCase() : error(404, "Domain not found"));
  const matching = (zone: string, e: v.InferOutput<typeof ENTRY>["dnsEntry"]) => store.records(zone).find((r) => nameOf(r) === e.name && r.ttl === e.expire && r.type === e.type && r.content === e.content);

  const routes: Route[] = [
    {
      method: "POST", path: "/auth", body: AUTH, invalidStatus: 400,
      handle(req) {
        const b = req.body as v.InferOutput<typeof AUTH>;
        const account = o.accounts[b.login];
        const signature = req.headers.get("signature") ?? "";
        if (!account || !verify("sha512", Buffer.from(req.text), account.publicKey, Buffer.from(signature, "base64"))) return error(401, "Authentication failed: the signature does not match the body and the login");
        if (nonces.has(b.nonce)) return error(401, "Nonce already used");
        nonces.add(b.nonce);
        if (account.whitelistedOnly && b.global_key) return error(403, "This key only accepts whitelisted IP addresses: request a token with global_key false");
        const [, count, unit] = /^(\d+) (\w+)$/.exec(b.expiration_time) ?? [];
        if (!count || !unit || !UNITS[unit]) return error(400, "Invalid expiration_time");
        const exp = Math.floor(Date.now() / 1000) + Number(count) * UNITS[unit]!;
        const token = `${b64url({ typ: "JWT", alg: "RS512" })}.${b64url({ iss: "api.transip.nl", jti: b.nonce, exp })}.c2lnbmF0dXJl`;
        tokens.set(token, exp * 1000);
        signIns++;
        return json(201, { token });
      },
    },
    { method: "GET", path: "/domains", handle: () => json(200, { domains: store.zones().map((name) => ({ name, isTransferLocked: false, registrationDate: "2020-01-01" })) }) },
    {
      method: "GET", path: "/domains/:domain/dns",
      handle(req) {
        const zone = zoneOf(req.params.domain!);
        return zone instanceof Response ? zone : json(200, { dnsEntries: store.records(zone).map(shown) });
      },
    },
    {
      method: "POST", path: "/domains/:domain/dns", body: ENTRY, invalidStatus: 400, write: true,
      handle(req) {
        const zone = zoneOf(req.params.domain!);
        if (zone instanceof Response) return zone;
        const e = (req.body as v.InferOutput<typeof ENTRY>).dnsEntry;
        if (e.expire < 60) return error(406, "expire must be at least 60 seconds");
        if ((e.type === "A" && !isIPv4(e.content)) || (e.type === "AAAA" && !isIPv6(e.content))) return error(406, `Invalid content for a ${e.type} entry`);
        if (matching(zone, e)) return error(409, "This DNS entry already exists");
        store.add({ zone, name: e.name === "@" ? zone : `${e.name.toLowerCase()}.${zone}`, type: e.type, content: e.content, ttl: e.expire, extra: {} });
        return new Response(null, { status: 201 });
      },
    },
    {
      method: "PATCH", path: "/domains/:domain/dns", body: ENTRY, invalidStatus: 400, write: true,
      handle(req) {
        const zone = zoneOf(req.params.domain!);
        if (zone instanceof Response) return zone;
        const e = (req.body as v.InferOutput<typeof ENTRY>).dnsEntry;
        const held = store.records(zone).filter((r) => nameOf(r) === e.name && r.ttl === e.expire && r.type === e.type);
        if (held.length === 0) return error(404, "DNS entry not found");
        if (held.length > 1) return error(406, "More than one DNS entry matches name, expire and type");
        if ((e.type === "A" && !isIPv4(e.content)) || (e.type === "AAAA" && !isIPv6(e.content))) return error(406, `Invalid content for a ${e.type} entry`);
        store.update(held[0]!.id, { content: e.content });
        return new Response(null, { status: 204 });
      },
    },
    {
      method: "DELETE", path: "/domains/:domain/dns", body: ENTRY, invalidStatus: 400, write: true,
      handle(req) {
        const zone = zoneOf(req.params.domain!);
        if (zone instanceof Response) return zone;
        const held = matching(zone, (req.body as v.InferOutput<typeof ENTRY>).dnsEntry);
        if (!held) return error(404, "DNS entry not found");
        store.remove(held.id);
        return new Response(null, { status: 204 });
      },
    },
  ];

  const fake = await startFakeService({
    name: "TransIP API v6",
    basePath: "/v6",
    error,
    routes,
    auth(req, path) {
      if (path === "/auth") return undefined;
      const until = tokens.get(bearerToken(req) ?? "");
      return until !== undefined && until > Date.now() ? undefined : error(401, "Your access token has been revoked.");
    },
  });
  return {
    ...fake,
    store,
    signIns: () => signIns,
    revokeTokens: () => tokens.clear(),
    read: (name, type) => store.read(name, type),
    edit(name, type, contents, ttl = 3600) {
      const zone = store.zoneOf(name);
      if (!zone) throw new Error(`fake TransIP: no zone holds ${JSON.stringify(name)}`);
      for (const r of store.find(zone, name, type)) store.remove(r.id);
      for (const content of contents) store.add({ zone, name, type, content, ttl, extra: {} });
    },
  };
}
