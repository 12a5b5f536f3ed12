import * as v from "valibot";
import { mapAnswer, ok, shaped, type Problem } from "../kit/answer.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import type { HttpFailure } from "../kit/http-types.ts";
import { collectPages } from "../kit/paginate.ts";
import type { HeldRecord } from "../kit/record-plan.ts";
import type { RecordApi } from "../kit/record-provider.ts";
import { createRestApi } from "../kit/rest-api.ts";
import type { ProviderDeps } from "../kit/types.ts";
import { createZoneFinder, relativeName, type Zone } from "../kit/zone-finder.ts";

/**
 * ClouDNS API (docs/providers/cloudns.md): credentials in the query (`auth-id` or `sub-auth-id`/`sub-auth-user`, and
 * `auth-password`); zones from `list-zones.json` (pages of at most 100); a zone's records from `records.json` (an
 * object keyed by record id, `[]` when none; `host` relative, "" at the apex; ids and TTLs as strings); `add-record`,
 * `mod-record`, `delete-record`. Refusals come as HTTP 200 `{"status": "Failed", "statusDescription": "…"}`.
 */
const TTLS = [60, 300, 900, 1800, 3600, 21600, 43200, 86400, 172800, 259200, 604800, 1209600, 2592000];
const ttlOf = (ttl: number) => TTLS.find((t) => t >= ttl) ?? 2_592_000;
const ZONES = v.array(v.object({ name: v.string(), type: v.optional(v.string()) }));
const RECORD = v.object({ id: v.union([v.string(), v.number()]), type: v.string(), host: v.string(), record: v.string(), ttl: v.union([v.string(), v.number()]) });
const RECORDS = v.union([v.pipe(v.array(v.never()), v.transform(() => ({}))), v.record(v.string(), RECORD)]);
const ADDED = v.object({ status: v.literal("Success"), data: v.optional(v.object({ id: v.union([v.string(), v.number()]) })) });
type CRecord = v.InferOutput<typeof RECORD>;

const failed = (j: unknown): j is { status: "Failed"; statusDescription?: unknown } => typeof j === "object" && j !== null && (j as { status?: unknown }).status === "Failed";

function explain(f: HttpFailure): Partial<Problem> | undefined {
  if (f.status === 429) return { kind: "rate-limited", reason: `ClouDNS's request limit is spent (HTTP 429)`, ...(f.retryAfterMs ? { retryAfterMs: f.retryAfterMs } : {}) };
  // ClouDNS says no inside an HTTP 200; other statuses are the kit's to word.
  if (f.reason !== "http" || (f.status ?? 0) >= 300 || !failed(f.json)) return undefined;
  const text = String(f.json.statusDescription ?? "");
  const said = `"Failed": ${quoteBody(text)}`;
  if (/auth|password/i.test(text)) return { kind: "auth", reason: `ClouDNS refused the credentials (${said}); check DDNS_PROVIDER_API_KEY (the auth-id of an API user, see DDNS_CLOUDNS_AUTH_KIND) and DDNS_PROVIDER_API_TOKEN (its password), and that the API user allows this machine's IP address` };
  if (/record.?id|record not found/i.test(text)) return { kind: "config", reason: `ClouDNS no longer has the record (${said})`, tag: "stale-record" };
  if (/domain|zone/i.test(text)) return { kind: "config", reason: `ClouDNS no longer serves the zone to this API user (${said})`, tag: "stale-zone" };
  if (/ttl/i.test(text)) return { kind: "config", reason: `ClouDNS refused the record (${said}); check DDNS_RECORD_TTL` };
  return { kind: "config", reason: `ClouDNS refused the ${f.method} (${said})` };
}

export function cloudnsApi(s: { authId: string; password: string; authKind: "auth-id" | "sub-auth-id" | "sub-auth-user"; apiUrl: string }, deps: ProviderDeps): RecordApi<Zone> {
  const api = createRestApi(deps, { service: "ClouDNS", baseUrl: s.apiUrl, headers: { Accept: "application/json" }, secrets: [s.password, s.authId], explain, verdict: (j) => (failed(j) ? "refused" : "ok"), errorText: (f) => (failed(f.json) ? String(f.json.statusDescription) : undefined) });
  const auth = { [s.authKind]: s.authId, "auth-password": s.password };
  const call = (method: "GET" | "POST", path: string, query: Record<string, string | number>, signal: AbortSignal) => api.call(method, path, { query: { ...auth, ...query }, signal });
  const held = (r: CRecord): HeldRecord => ({ id: String(r.id), content: r.record, ttl: Number(r.ttl) });
  const records = async (zone: Zone, type: string, signal: AbortSignal) =>
    mapAnswer(shaped(await call("GET", "/records.json", { "domain-name": zone.name, type }, signal), RECORDS, "ClouDNS's record list"), (all) => Object.values(all).filter((r) => r.type === type));
  const written = async (answer: ReturnType<typeof call>) => mapAnswer(await answer, () => undefined);

  return {
    service: "ClouDNS",
    zoneFix: "add the zone to the ClouDNS account (and, for a sub-user, give the sub-user the zone)",
    zones: createZoneFinder<Zone>({
      now: deps.now,
      // The API user's zones, listed (a get-zone-info per suffix would put record names into URLs).
      list: async (signal) => mapAnswer(await collectPages(async (page) => mapAnswer(shaped(await call("GET", "/list-zones.json", { page, "rows-per-page": 100 }, signal), ZONES, "ClouDNS's zone list"), (items) => ({ items, perPage: 100 })), { service: "ClouDNS" }), (zones) => zones.map((z) => ({ name: z.name.toLowerCase() }))),
    }),
    list: async (zone, name, type, signal) => mapAnswer(await records(zone, type, signal), (found) => found.filter((r) => r.host.toLowerCase() === relativeName(name, zone.name, "")).map(held)),
    listAll: async (zone, type, signal) => mapAnswer(await records(zone, type, signal), (found) => found.map((r) => ({ ...held(r), name: (r.host === "" ? zone.name : `${r.host}.${zone.name}`).toLowerCase() }))),
    async create(zone, record, signal) {
      const answer = await call("POST", "/add-record.json", { "domain-name": zone.name, "record-type": record.type, host: relativeName(record.name, zone.name, ""), record: record.content, ttl: ttlOf(record.ttl ?? 3600) }, signal);
      if (!answer.ok) return answer;
      // The record was created whatever the answer looks like; an unreadable one leaves its id unknown.
      const parsed = shaped(answer, ADDED, "ClouDNS's answer");
      return ok(parsed.ok && parsed.value.data ? { id: String(parsed.value.data.id), content: record.content, ttl: ttlOf(record.ttl ?? 3600) } : undefined);
    },
    update: (zone, record, changes, request, signal) =>
      written(call("POST", "/mod-record.json", { "domain-name": zone.name, "record-id": record.id, host: relativeName(request.name, zone.name, ""), record: changes.content, ttl: ttlOf(record.ttl ?? 3600) }, signal)),
    remove: (zone, record, signal) => written(call("POST", "/delete-record.json", { "domain-name": zone.name, "record-id": record.id }, signal)),
  };
}
