import { isIPv4, isIPv6 } from "node:net";
import * as v from "valibot";
import { bearerToken, json, startFakeService, type FakeService, type Route } from "../kit/fake-service.ts";
import { servePage } from "../kit/pagination.ts";
import { createRrsetStore, type RrsetStore, type StoredSet } from "../kit/rrset-store.ts";
import { txtProblem } from "../kit/txt-presentation.ts";

/**
 * A strict fake of the DNS part of the Hetzner Cloud API (https://api.hetzner.cloud/v1), written on 2026-12-02 from
 * the API reference (docs.hetzner.cloud/reference/cloud: Zones, Zone RRSets, Zone RRSet Actions, Zone Actions,
 * Pagination, Rate Limiting, Errors) as the official SDKs encode it: hetznercloud/hcloud-go at b8cfa39 of 2026-08-18
 * (hcloud/schema/{zone,zone_rrset,action,error,meta}.go, hcloud/{zone,zone_rrset,error,action,
 * client_handler_rate_limit}.go) and hetznercloud/hcloud-python at 48f3424 of 2026-07-21 (hcloud/zones/), checked
 * against go-acme/lego's hetznerv1 client and fixtures and qdm12/ddns-updater's hetznercloud provider.
 * - Auth: `Authorization: Bearer <token>`, else 401 `{"error":{"code":"unauthorized","message":"unable to
 *   authenticate","details":{}}}`; a Read-only token gets 403 `token_readonly` for anything but GET.
 * - Zones by id or name in paths; `GET /zones` pages (`page`, `per_page` at most 50, `meta.pagination`).
 * - RRsets by (name relative to the zone, lower case, "@" the apex; type): `GET` (404 `not_found` when none), `POST
 *   /zones/{z}/rrsets` (201 `{rrset, action}`; 409 `uniqueness_error` when it exists), `POST …/actions/set_records`
 *   and `…/actions/change_ttl` (201 `{action}`). TTL 60…2147483647 or null (the zone's default); records non-empty,
 *   distinct, each `{value, comment?}`. `DELETE /zones/{z}/rrsets/{name}/{type}` (201 `{action}`, command
 *   `delete_rrset`; 404 `not_found` when none; hcloud-go's `ZoneClient.DeleteRRSet`, schema `ZoneRRSetDeleteResponse`).
 *   Only primary zones take changes (422 `incorrect_zone_mode`).
 * - Actions: `running` when answered, then `success` (or `error` with `{code, message}`) at `GET /zones/actions/{id}`.
 * - Rate limit: `RateLimit-Limit`, `-Remaining`, `-Reset` (Unix seconds) on every answer; 429 `rate_limit_exceeded`.
 * Stricter than documented (the reference is silent): unknown query parameters and body fields are refused (400
 * `invalid_input`), an A/AAAA value must be an address of its family. The change itself is applied at once; the
 * action only reports it (an action made to fail leaves the state unchanged).
 * TXT values (looked up 2026-12-02): zone-file syntax, each character-string in double quotes — go-acme/lego
 * providers/dns/hetzner/internal/hetznerv1 writes `strconv.Quote(value)`, and hetznercloud/terraform-provider-hcloud
 * docs/functions/txt_record.md formats a TXT record "by splitting it in quoted strings of 255 characters". The API
 * reference as read names no refusal, so the fake's is its own: a bare or over-long string is 400 `invalid_input`.
 */
export interface FakeHetznerOptions {
  tokens: Record<string, "read-write" | "read">;
  zones: Array<string | { name: string; mode?: "primary" | "secondary"; ttl?: number }>;
  maxPerPage?: number;
  rateLimit?: { limit: number; windowMs: number };
}

export interface FakeHetzner extends FakeService {
  store: RrsetStore;
  read(name: string, type: string): string[];
  edit(name: string, type: string, values: string[], ttl?: number | null): void;
  /** The set as stored (TTL, comments). */
  set(name: string, type: string): StoredSet | undefined;
  /** Actions answer `running` for this many polls before they finish ("forever": they never do). */
  holdActions(polls: number | "forever"): void;
  /** The next action ends in `error` and changes nothing. */
  failNextAction(code: string, message: string): void;
}

const CODES: Record<number, string> = { 400: "invalid_input", 401: "unauthorized", 403: "forbidden", 404: "not_found", 409: "uniqueness_error", 415: "json_error", 422: "invalid_input", 429: "rate_limit_exceeded", 500: "server_error" };
const errorOf = (status: number, message: string, code = CODES[status] ?? "service_error") => json(status, { error: { code, message, details: {} } });
const TYPES = ["A", "AAAA", "CAA", "CNAME", "DS", "HINFO", "HTTPS", "MX", "NS", "PTR", "RP", "SOA", "SRV", "SVCB", "TLSA", "TXT"] as const;
const TTL = v.pipe(v.number(), v.integer(), v.minValue(60, "must be at least 60"), v.maxValue(2_147_483_647, "must be at most 2147483647"));
const RECORDS = v.pipe(v.array(v.strictObject({ value: v.string(), comment: v.optional(v.string()) })), v.minLength(1, "must not be empty"));
const CreateBody = v.strictObject({ name: v.string(), type: v.picklist(TYPES), ttl: v.optional(v.nullable(TTL)), labels: v.optional(v.record(v.string(), v.string())), records: RECORDS });

export async function startFakeHetzner(o: FakeHetznerOptions): Promise<FakeHetzner> {
  const zones = o.zones.map((z, i) => ({ id: 4_711_000 + i, mode: "primary", ttl: 3600, ...(typeof z === "string" ? { name: z } : z) }));
  const store = createRrsetStore(zones.map((z) => z.name));
  const actions = new Map<number, { action: Record<string, unknown>; polls: number; fail?: { code: string; message: string } }>();
  let hold: number | "forever" = 0;
  let failNext: { code: string; message: string } | undefined;
  let actionId = 90_000;

  const zoneOf = (ref: string) => zones.find((z) => String(z.id) === ref || z.name === ref.toLowerCase());
  const absolute = (name: string, zone: string) => (name === "@" ? zone : `${name}.${zone}`);
  const shown = (s: StoredSet, zoneId: number) => ({ id: `${s.name === s.zone ? "@" : s.name.slice(0, -(s.zone.length + 1))}/${s.type}`, name: s.name === s.zone ? "@" : s.name.slice(0, -(s.zone.length + 1)), type: s.type, ttl: s.ttl, labels: {}, protection: { change: false }, records: s.records, zone: zoneId });
  const badName = (name: string, zone: string) =>
    name !== name.toLowerCase() || name.endsWith(".") || name === zone || name.endsWith(`.${zone}`) ? errorOf(400, "invalid input in field 'name': must be lower case and relative to the zone") : undefined;
  const badValues = (type: string, records: Array<{ value: string }>) => {
    const values = records.map((r) => r.value);
    if (new Set(values).size !== values.length) return errorOf(400, "invalid input in field 'records': must only contain distinct values");
    const unquoted = type === "TXT" ? values.map(txtProblem).find(Boolean) : undefined;
    if (unquoted) return errorOf(400, `invalid input in field 'records': ${unquoted}`);
    const wrong = values.find((x) => (type === "A" && !isIPv4(x)) || (type === "AAAA" && !isIPv6(x)));
    return wrong === undefined ? undefined : errorOf(400, `invalid input in field 'records': ${JSON.stringify(wrong)} is not a valid ${type === "A" ? "IPv4" : "IPv6"} address`);
  };
  /** Starts an action for `command`; `apply` runs unless the action is made to fail. */
  function start(command: string, zoneId: number, apply: () => void) {
    const fail = failNext;
    failNext = undefined;
    if (!fail) apply();
    const action = { id: ++actionId, command, status: "running", progress: 0, started: new Date().toISOString(), finished: null, resources: [{ id: zoneId, type: "zone" }], error: null };
    actions.set(action.id, { action, polls: 0, ...(fail ? { fail } : {}) });
    return action;
  }
  /** The zone of the path, writable, or the answer saying why not. */
  const writable = (ref: string) => {
    const zone = zoneOf(ref);
    if (!zone) return errorOf(404, "zone not found");
    return zone.mode === "primary" ? zone : errorOf(422, "This operation is not supported for this Zone's mode.", "incorrect_zone_mode");
  };
  const setAction = (command: string, change: (held: StoredSet) => StoredSet): Route["handle"] => ({ params, body }) => {
    const zone = writable(params.zone!);
    if (zone instanceof Response) return zone;
    const held = store.get(zone.name, absolute(params.name!, zone.name), params.type!);
    if (!held) return errorOf(404, "rrset not found");
    const next = change(held);
    const refused = badValues(held.type, next.records);
    return refused ?? json(201, { action: start(command, zone.id, () => store.put(next)) });
  };

  const routes: Route[] = [
    {
      method: "GET", path: "/zones", query: ["page", "per_page", "name", "mode", "sort", "label_selector"],
      handle: (req) => {
        const name = req.query.get("name");
        const page = servePage(zones.filter((z) => name === null || z.name === name), new URL(`http://x/zones?${req.query}`), { defaultPerPage: 25, maxPerPage: Math.min(o.maxPerPage ?? 50, 50) });
        if ("invalid" in page) return errorOf(400, page.invalid);
        const pagination = { page: page.page, per_page: page.perPage, previous_page: page.page > 1 ? page.page - 1 : null, next_page: page.page < page.pages ? page.page + 1 : null, last_page: page.pages, total_entries: page.total };
        return json(200, { zones: page.items.map((z) => ({ ...z, created: "2026-01-01T00:00:00Z", labels: {}, protection: { delete: false }, status: "ok", registrar: "other", record_count: store.list(z.name).length })), meta: { pagination } });
      },
    },
    { method: "GET", path: "/zones/:zone", handle: ({ params }) => (zoneOf(params.zone!) ? json(200, { zone: zoneOf(params.zone!) }) : errorOf(404, "zone not found")) },
    {
      method: "GET", path: "/zones/:zone/rrsets/:name/:type",
      handle: ({ params }) => {
        const zone = zoneOf(params.zone!);
        const held = zone && store.get(zone.name, absolute(params.name!, zone.name), params.type!);
        return zone && held ? json(200, { rrset: shown(held, zone.id) }) : errorOf(404, zone ? "rrset not found" : "zone not found");
      },
    },
    {
      method: "POST", path: "/zones/:zone/rrsets", body: CreateBody, invalidStatus: 400, write: true,
      handle: ({ params, body }) => {
        const b = body as v.InferOutput<typeof CreateBody>;
        const zone = writable(params.zone!);
        if (zone instanceof Response) return zone;
        const refused = badName(b.name, zone.name) ?? badValues(b.type, b.records);
        if (refused) return refused;
        const set: StoredSet = { zone: zone.name, name: absolute(b.name, zone.name), type: b.type, ttl: b.ttl ?? null, records: b.records };
        if (store.get(set.zone, set.name, set.type)) return errorOf(409, "rrset with the same name and type already exists");
        const action = start("create_rrset", zone.id, () => store.put(set));
        return json(201, { rrset: shown(set, zone.id), action });
      },
    },
    {
      method: "DELETE", path: "/zones/:zone/rrsets/:name/:type", write: true,
      handle: ({ params }) => {
        const zone = writable(params.zone!);
        if (zone instanceof Response) return zone;
        const name = absolute(params.name!, zone.name);
        if (!store.get(zone.name, name, params.type!)) return errorOf(404, "rrset not found");
        return json(201, { action: start("delete_rrset", zone.id, () => store.remove(zone.name, name, params.type!)) });
      },
    },
    { method: "POST", path: "/zones/:zone/rrsets/:name/:type/actions/set_records", body: v.strictObject({ records: RECORDS }), invalidStatus: 400, write: true, handle: (req) => setAction("set_rrset_records", (held) => ({ ...held, records: (req.body as { records: StoredSet["records"] }).records }))(req) },
    { method: "POST", path: "/zones/:zone/rrsets/:name/:type/actions/change_ttl", body: v.strictObject({ ttl: v.nullable(TTL) }), invalidStatus: 400, write: true, handle: (req) => setAction("change_rrset_ttl", (held) => ({ ...held, ttl: (req.body as { ttl: number | null }).ttl }))(req) },
    {
      method: "GET", path: "/zones/actions/:id",
      handle: ({ params }) => {
        const entry = actions.get(Number(params.id));
        if (!entry) return errorOf(404, "action not found");
        if (entry.action.status === "running" && hold !== "forever" && entry.polls++ >= hold) {
          Object.assign(entry.action, entry.fail ? { status: "error", error: entry.fail } : { status: "success", progress: 100 }, { finished: new Date().toISOString() });
        }
        return json(200, { action: entry.action });
      },
    },
  ];

  const fake = await startFakeService({
    name: "Hetzner Cloud API",
    basePath: "/v1",
    error: (status, message) => errorOf(status, message),
    routes,
    rateLimit: {
      ...(o.rateLimit ?? { limit: 3600, windowMs: 3_600_000 }),
      message: "limit of 3600 requests per hour reached",
      headers: (s) => ({ "RateLimit-Limit": String(s.limit), "RateLimit-Remaining": String(s.remaining), "RateLimit-Reset": String(Math.ceil(s.resetAt / 1000)) }),
    },
    auth(req) {
      const token = bearerToken(req);
      const grant = token === undefined ? undefined : o.tokens[token];
      if (grant === undefined) return errorOf(401, "unable to authenticate");
      return grant === "read" && req.method !== "GET" ? errorOf(403, "The token is only allowed to perform GET requests", "token_readonly") : undefined;
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
    holdActions: (polls) => void (hold = polls),
    failNextAction: (code, message) => void (failNext = { code, message }),
  };
}
