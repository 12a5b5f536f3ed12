import * as v from "valibot";
import { fail, mapAnswer, ok, shaped, type Answer, type Problem } from "../kit/answer.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import { hideDomain } from "../kit/hide-domain.ts";
import type { HttpFailure } from "../kit/http-types.ts";
import type { HeldRecord } from "../kit/record-plan.ts";
import type { RecordApi } from "../kit/record-provider.ts";
import { createRestApi } from "../kit/rest-api.ts";
import type { ProviderDeps } from "../kit/types.ts";
import { createZoneFinder, relativeName, type Zone } from "../kit/zone-finder.ts";

/**
 * Infomaniak API v2 (docs/providers/infomaniak.md): Bearer token; answers `{"result": "success", "data": …}` or
 * `{"result": "error", "error": {"code", "description", "errors"?}}`. A zone is found by asking `GET
 * /2/zones/{zone}/exists` for each suffix (`data` true, or `object_not_found`); its records come from `GET
 * /2/zones/{zone}/records` (`source` relative to the zone, "." at the apex), are created with `POST` there, changed
 * with `PUT …/records/{id}` and deleted with `DELETE …/records/{id}`.
 */
const RECORD = v.object({ id: v.number(), source: v.string(), type: v.string(), target: v.string(), ttl: v.number() });
const ENVELOPE = <T extends v.GenericSchema>(data: T) => v.object({ result: v.literal("success"), data });
type IkRecord = v.InferOutput<typeof RECORD>;

const errorOf = (body: unknown) => (body as { error?: { code?: unknown; description?: unknown } } | undefined)?.error;

function explain(f: HttpFailure): Partial<Problem> | undefined {
  const e = errorOf(f.json);
  const said = `HTTP ${f.status}${typeof e?.code === "string" ? ` ${JSON.stringify(e.code)}` : ""}${typeof e?.description === "string" ? `: ${quoteBody(e.description)}` : ""}`;
  if (f.status === 429) return { kind: "rate-limited", reason: `Infomaniak's request limit is spent (${said})`, ...(f.retryAfterMs ? { retryAfterMs: f.retryAfterMs } : {}) };
  if (f.reason !== "http" || typeof e?.code !== "string") return undefined;
  if (f.status === 401) return { kind: "auth", reason: `Infomaniak refused the token (${said}); check DDNS_PROVIDER_API_TOKEN: an API token, not expired or revoked` };
  if (f.status === 403) return { kind: "auth", reason: `Infomaniak refused the ${f.method} (${said}); give the token in DDNS_PROVIDER_API_TOKEN the scope ${f.method === "GET" ? "dns:read" : "dns:write"}` };
  if (f.status === 404 || e.code === "object_not_found") return { kind: "config", reason: `Infomaniak no longer has it (${said})`, tag: /\/records\/\d+$/.test(f.url) ? "stale-record" : "stale-zone" };
  if (f.status === 422 || f.status === 400) return { kind: "config", reason: `Infomaniak refused the record (${said}); check DDNS_RECORD_TTL (60 to 86400)` };
  return undefined;
}

const held = (r: IkRecord): HeldRecord => ({ id: String(r.id), content: r.target, ttl: r.ttl });
const source = (name: string, zone: string) => relativeName(name, zone, ".");

export function infomaniakApi(s: { token: string; apiUrl: string }, deps: ProviderDeps): RecordApi<Zone> {
  const api = createRestApi(deps, { service: "Infomaniak", baseUrl: s.apiUrl, headers: { Authorization: `Bearer ${s.token}`, Accept: "application/json" }, secrets: [s.token], explain, errorText: (f) => errorOf(f.json)?.description as string | undefined });
  const path = (zone: string, rest = "") => `/2/zones/${encodeURIComponent(zone)}${rest}`;
  const call = async (method: "GET" | "POST" | "PUT" | "DELETE", zone: string, rest: string, signal: AbortSignal, body?: object) =>
    hideDomain(await api.call(method, path(zone, rest), { signal, ...(body ? { body } : {}) }), zone);
  async function records(zone: Zone, type: string, signal: AbortSignal): Promise<Answer<IkRecord[]>> {
    return mapAnswer(shaped(await call("GET", zone.name, "/records", signal), ENVELOPE(v.array(RECORD)), "Infomaniak's record list"), (l) => l.data.filter((r) => r.type === type));
  }
  const fqdn = (r: IkRecord, zone: string) => (r.source === "." || r.source === "" || r.source === "@" ? zone : `${r.source.toLowerCase().replace(/\.$/, "")}.${zone}`);

  return {
    service: "Infomaniak",
    zoneFix: "add the zone to the Infomaniak account the token belongs to",
    zones: createZoneFinder<Zone>({
      now: deps.now,
      async lookup(candidate, signal) {
        const answer = shaped(await call("GET", candidate, "/exists", signal), ENVELOPE(v.boolean()), "Infomaniak's zone check");
        if (!answer.ok) return answer.problem.tag === "stale-zone" ? ok(undefined) : fail(answer.problem);
        return ok(answer.value.data ? { name: candidate } : undefined);
      },
    }),
    list: async (zone, name, type, signal) => mapAnswer(await records(zone, type, signal), (found) => found.filter((r) => fqdn(r, zone.name) === name).map(held)),
    listAll: async (zone, type, signal) => mapAnswer(await records(zone, type, signal), (found) => found.map((r) => ({ ...held(r), name: fqdn(r, zone.name) }))),
    async create(zone, record, signal) {
      const answer = await call("POST", zone.name, "/records", signal, { source: source(record.name, zone.name), type: record.type, target: record.content, ttl: record.ttl ?? 3600 });
      if (!answer.ok) return answer;
      // The record was created whatever the answer looks like; an unreadable one leaves its id unknown.
      const parsed = shaped(answer, ENVELOPE(RECORD), "Infomaniak's new record");
      return parsed.ok ? ok(held(parsed.value.data)) : ok(undefined);
    },
    update: async (zone, record, changes, request, signal) =>
      mapAnswer(await call("PUT", zone.name, `/records/${record.id}`, signal, { source: source(request.name, zone.name), type: request.type, target: changes.content, ttl: record.ttl ?? 3600 }), () => undefined),
    remove: async (zone, record, signal) => mapAnswer(await call("DELETE", zone.name, `/records/${record.id}`, signal), () => undefined),
  };
}
