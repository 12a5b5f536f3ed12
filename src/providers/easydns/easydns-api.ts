import * as v from "valibot";
import { fail, mapAnswer, ok, shaped, type Answer, type Problem } from "../kit/answer.ts";
import { basicAuthorization } from "../kit/basic-auth.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import { hideDomain } from "../kit/hide-domain.ts";
import type { HttpFailure } from "../kit/http-types.ts";
import type { HeldRecord } from "../kit/record-plan.ts";
import type { RecordApi } from "../kit/record-provider.ts";
import { createRestApi } from "../kit/rest-api.ts";
import type { ProviderDeps } from "../kit/types.ts";
import { createZoneFinder, relativeName, type Zone } from "../kit/zone-finder.ts";

/**
 * easyDNS REST API v3 (docs/providers/easydns.md): HTTP Basic auth (API token, API key), `?format=json` on every
 * call. A domain's records come from `GET /zones/records/all/{domain}` (`data`: an array of records whose `id` and
 * `ttl` are strings, `host` relative to the domain, "@" at the apex; a domain that is not the account's is a 404, so
 * the zone is found by trying the name's suffixes); created with `PUT /zones/records/add/{domain}/{type}` (201),
 * changed with `POST /zones/records/{id}`, deleted with `DELETE /zones/records/{domain}/{id}`. Errors are
 * `{"error": {"code", "message"}}`; 420 "Enhance Your Calm" is the rate limit.
 */
const NUM = v.union([v.number(), v.pipe(v.string(), v.transform(Number))]);
const RECORD = v.object({ id: v.union([v.string(), v.pipe(v.number(), v.transform(String))]), host: v.string(), type: v.string(), rdata: v.string(), ttl: NUM });
const LISTING = v.object({ data: v.array(RECORD) });
const CREATED = v.object({ data: RECORD });
type EdRecord = v.InferOutput<typeof RECORD>;

function explain(f: HttpFailure): Partial<Problem> | undefined {
  const e = (f.json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const said = `HTTP ${f.status}${typeof e?.message === "string" ? `: ${quoteBody(e.message)}` : ""}`;
  if (f.status === 420 || f.status === 429) return { kind: "rate-limited", reason: `easyDNS's request limit is spent (${said})`, retryAfterMs: f.retryAfterMs ?? 60_000 };
  if (f.reason !== "http") return undefined;
  if (f.status === 401) return { kind: "auth", reason: `easyDNS refused the credentials (${said}); check DDNS_PROVIDER_API_TOKEN (the API token) and DDNS_PROVIDER_API_KEY (the API key issued with it)` };
  if (f.status === 403) return { kind: "auth", reason: `easyDNS refused the ${f.method} (${said}); the API token in DDNS_PROVIDER_API_TOKEN must be allowed to manage this domain's DNS` };
  if (f.status === 404) return { kind: "config", reason: `easyDNS no longer has it (${said})`, tag: /\/zones\/records\/all\//.test(f.url) ? "stale-zone" : "stale-record" };
  if (f.status === 400) return { kind: "config", reason: `easyDNS refused the record (${said}); check DDNS_RECORD_TTL (at least 300)` };
  return undefined;
}

const held = (r: EdRecord): HeldRecord => ({ id: r.id, content: r.rdata, ttl: r.ttl });

export function easydnsApi(s: { token: string; key: string; apiUrl: string }, deps: ProviderDeps): RecordApi<Zone> {
  const authorization = basicAuthorization(s.token, s.key);
  const api = createRestApi(deps, { service: "easyDNS", baseUrl: s.apiUrl, headers: { Authorization: authorization, Accept: "application/json" }, secrets: [s.token, s.key, authorization.slice(6)], explain, errorText: (f) => (f.json as { error?: { message?: string } } | undefined)?.error?.message });
  const query = { format: "json" };
  const enc = encodeURIComponent;
  async function records(zone: string, signal: AbortSignal, missingOk = false): Promise<Answer<EdRecord[] | undefined>> {
    const answer = hideDomain(await api.call("GET", `/zones/records/all/${enc(zone)}`, { query, signal, missingOk }), zone);
    if (answer.ok && answer.value === undefined) return ok(undefined);
    return mapAnswer(shaped(answer, LISTING, "easyDNS's record list"), (listing) => listing.data);
  }
  const ofType = async (zone: Zone, type: string, signal: AbortSignal) =>
    mapAnswer(await records(zone.name, signal), (all) => (all ?? []).filter((r) => r.type === type));
  const fqdn = (r: EdRecord, zone: string) => (r.host === "@" || r.host === "" ? zone : `${r.host.toLowerCase()}.${zone}`);

  return {
    service: "easyDNS",
    zoneFix: "add the domain to the easyDNS account, or use the API token of the account that holds it",
    zones: createZoneFinder<Zone>({
      now: deps.now,
      async lookup(candidate, signal) {
        const answer = await records(candidate, signal, true);
        if (!answer.ok) return answer.problem.tag === "stale-zone" ? ok(undefined) : fail(answer.problem);
        return ok(answer.value === undefined ? undefined : { name: candidate });
      },
    }),
    list: async (zone, name, type, signal) => mapAnswer(await ofType(zone, type, signal), (found) => found.filter((r) => fqdn(r, zone.name) === name).map(held)),
    listAll: async (zone, type, signal) => mapAnswer(await ofType(zone, type, signal), (found) => found.map((r) => ({ ...held(r), name: fqdn(r, zone.name) }))),
    async create(zone, record, signal) {
      const body = { domain: zone.name, host: relativeName(record.name, zone.name), ttl: record.ttl ?? 3600, prio: 0, type: record.type, rdata: record.content };
      const answer = hideDomain(await api.call("PUT", `/zones/records/add/${enc(zone.name)}/${record.type}`, { query, body, signal }), zone.name);
      if (!answer.ok) return answer;
      // The record was created whatever the answer looks like; an unreadable one leaves its id unknown.
      const parsed = shaped(answer, CREATED, "easyDNS's new record");
      return parsed.ok ? ok(held(parsed.value.data)) : ok(undefined);
    },
    update: async (zone, record, changes, request, signal) =>
      mapAnswer(await api.call("POST", `/zones/records/${enc(record.id)}`, { query, body: { host: relativeName(request.name, zone.name), ttl: record.ttl ?? 3600, type: request.type, rdata: changes.content }, signal }), () => undefined),
    remove: async (zone, record, signal) => mapAnswer(hideDomain(await api.call("DELETE", `/zones/records/${enc(zone.name)}/${enc(record.id)}`, { query, signal }), zone.name), () => undefined),
  };
}
