import { createHash } from "node:crypto";
import * as v from "valibot";
import { fail, mapAnswer, ok, shaped, type Answer, type Problem } from "../kit/answer.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import type { HttpFailure } from "../kit/http-types.ts";
import { mapLimit } from "../kit/per-record.ts";
import type { HeldRecord } from "../kit/record-plan.ts";
import type { RecordApi } from "../kit/record-provider.ts";
import { createRestApi } from "../kit/rest-api.ts";
import { createSignedCall } from "../kit/signed-call.ts";
import type { ProviderDeps } from "../kit/types.ts";
import { createZoneFinder, relativeName, type Zone } from "../kit/zone-finder.ts";

/**
 * OVHcloud API v1 (docs/providers/ovh.md): every call is signed — X-Ovh-Signature = "$1$" + hex SHA-1 of
 * "secret+consumerKey+METHOD+fullUrl+body+timestamp", the timestamp in the server's clock (`GET /auth/time`, asked
 * once). No library signs OVH requests in JavaScript beyond the unmaintained `ovh` npm client, so the one SHA-1 is
 * written here with node:crypto. Zones from `GET /domain/zone`; ids of a name's records from `GET …/record?fieldType
 * =&subDomain=`, each read by id; changes are staged until `POST /domain/zone/{zone}/refresh`, sent after every write
 * (a zone whose refresh failed is refreshed before its next read). Errors are `{errorCode?, class?, message}`.
 */
export const OVH_ENDPOINTS = { eu: "https://eu.api.ovh.com/1.0", ca: "https://ca.api.ovh.com/1.0", us: "https://api.us.ovhcloud.com/1.0" } as const;
const RECORD = v.object({ id: v.number(), subDomain: v.string(), fieldType: v.string(), target: v.string(), ttl: v.nullish(v.number()) });
type ORecord = v.InferOutput<typeof RECORD>;
type Settings = { applicationKey: string; applicationSecret: string; consumerKey: string; apiUrl: string };

function explain(f: HttpFailure): Partial<Problem> | undefined {
  const e = f.json as { errorCode?: unknown; message?: unknown } | undefined;
  const code = typeof e?.errorCode === "string" ? e.errorCode : undefined;
  const message = typeof e?.message === "string" ? e.message : "";
  const said = `HTTP ${f.status}${code ? ` ${JSON.stringify(code)}` : ""}${message ? `: ${quoteBody(message)}` : ""}`;
  if (f.status === 429) return { kind: "rate-limited", reason: `OVH's request limit is spent (${said})`, ...(f.retryAfterMs ? { retryAfterMs: f.retryAfterMs } : {}) };
  if (f.reason !== "http" || !message) return undefined;
  if (code === "INVALID_SIGNATURE" || /invalid signature/i.test(message)) return { kind: "auth", reason: `OVH refused the request's signature (${said}); check DDNS_PROVIDER_API_TOKEN: the application secret that belongs to the application key in DDNS_PROVIDER_API_KEY` };
  if (code === "QUERY_TIME_OUT" || /out of time/i.test(message)) return { kind: "transient", reason: `OVH refused the request's timestamp (${said}); check this host's clock` };
  if (code === "INVALID_KEY" || /application key/i.test(message)) return { kind: "auth", reason: `OVH refused the application key (${said}); check DDNS_PROVIDER_API_KEY and DDNS_OVH_ENDPOINT (keys are per region)` };
  if (code === "NOT_GRANTED_CALL" || /not been granted/i.test(message)) return { kind: "auth", reason: `OVH refused the ${f.method} (${said}); the consumer key in DDNS_OVH_CONSUMER_KEY needs GET, POST, PUT and DELETE on /domain/zone/*` };
  if (code === "INVALID_CREDENTIAL" || /credential/i.test(message)) return { kind: "auth", reason: `OVH refused the consumer key (${said}); check DDNS_OVH_CONSUMER_KEY: validated, not expired, for the application in DDNS_PROVIDER_API_KEY` };
  if (f.status === 404) return { kind: "config", reason: `OVH no longer has it (${said})`, tag: /\/record\/\d+$/.test(f.url) ? "stale-record" : "stale-zone" };
  if (f.status === 400) return { kind: "config", reason: `OVH refused the record (${said}); check DDNS_RECORD_TTL (at least 60)` };
  return undefined;
}

const held = (r: ORecord): HeldRecord => ({ id: String(r.id), content: r.target, ...(r.ttl ? { ttl: r.ttl } : {}) });

export function ovhApi(s: Settings, deps: ProviderDeps): RecordApi<Zone> {
  const secrets = [s.applicationSecret, s.consumerKey, s.applicationKey];
  const api = createRestApi(deps, { service: "OVH", baseUrl: s.apiUrl, headers: { "X-Ovh-Application": s.applicationKey }, secrets, explain, errorText: (f) => (f.json as { message?: string } | undefined)?.message });
  let delta: number | undefined;
  const call = createSignedCall(api, s.apiUrl, async ({ method, url, body }) => {
    const timestamp = String(Math.round((deps.now() + (delta ?? 0)) / 1000));
    const signature = createHash("sha1").update([s.applicationSecret, s.consumerKey, method, url, body, timestamp].join("+")).digest("hex");
    return { "X-Ovh-Consumer": s.consumerKey, "X-Ovh-Timestamp": timestamp, "X-Ovh-Signature": `$1$${signature}` };
  });
  /** The server's clock, learned once: signatures carry its time, not this host's. */
  async function clock(signal: AbortSignal): Promise<Answer<void>> {
    if (delta !== undefined) return ok(undefined);
    const answer = shaped(await api.call("GET", "/auth/time", { signal }), v.number(), "OVH's clock");
    if (answer.ok) delta = answer.value * 1000 - deps.now();
    return mapAnswer(answer, () => undefined);
  }
  const dirty = new Set<string>();
  /** Applies the zone's staged changes; a failed refresh leaves the record written but maybe not yet served. */
  async function refresh(zone: Zone, signal: AbortSignal): Promise<Answer<void>> {
    const answer = await call("POST", `/domain/zone/${zone.name}/refresh`, { signal });
    if (answer.ok) dirty.delete(zone.name);
    else dirty.add(zone.name);
    return answer.ok ? ok(undefined) : fail({ ...answer.problem, mayHaveArrived: true, reason: `the record was changed, but applying the zone failed: ${answer.problem.reason}` });
  }
  const write = async (zone: Zone, answer: Answer<unknown>, signal: AbortSignal) => (answer.ok ? refresh(zone, signal) : answer);

  return {
    service: "OVH",
    zoneFix: "add the zone to the OVHcloud account the consumer key belongs to (DNS zones in the control panel), or check DDNS_OVH_ENDPOINT",
    zones: createZoneFinder<Zone>({
      now: deps.now,
      list: async (signal) => {
        const time = await clock(signal);
        if (!time.ok) return time;
        return mapAnswer(shaped(await call("GET", "/domain/zone", { signal }), v.array(v.string()), "OVH's zone list"), (all) => all.map((name) => ({ name: name.toLowerCase() })));
      },
    }),
    async list(zone, name, type, signal) {
      if (dirty.has(zone.name)) await refresh(zone, signal);
      const ids = shaped(await call("GET", `/domain/zone/${zone.name}/record`, { query: { fieldType: type, subDomain: relativeName(name, zone.name, "") }, signal }), v.array(v.number()), "OVH's record list");
      if (!ids.ok) return ids;
      const records = await mapLimit(ids.value, 4, async (id) => shaped(await call("GET", `/domain/zone/${zone.name}/record/${id}`, { signal, missingOk: true }), v.optional(RECORD), "OVH's record"));
      const failed = records.find((r) => !r.ok);
      if (failed && !failed.ok) return failed;
      return ok(records.flatMap((r) => (r.ok && r.value ? [held(r.value)] : [])));
    },
    async create(zone, record, signal) {
      const body = { fieldType: record.type, subDomain: relativeName(record.name, zone.name, ""), target: record.content, ...(record.ttl === undefined ? {} : { ttl: record.ttl }) };
      const answer = await call("POST", `/domain/zone/${zone.name}/record`, { body, signal });
      const done = await write(zone, answer, signal);
      if (!done.ok) return done;
      const parsed = shaped(answer, RECORD, "OVH's new record");
      return ok(parsed.ok ? held(parsed.value) : undefined);
    },
    update: async (zone, record, changes, _request, signal) => write(zone, await call("PUT", `/domain/zone/${zone.name}/record/${record.id}`, { body: { target: changes.content }, signal }), signal),
    remove: async (zone, record, signal) => write(zone, await call("DELETE", `/domain/zone/${zone.name}/record/${record.id}`, { signal }), signal),
  };
}
