import * as v from "valibot";
import { fail, mapAnswer, ok, shaped, type Answer, type Problem } from "../kit/answer.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import type { HttpFailure } from "../kit/http-types.ts";
import { collectPages } from "../kit/paginate.ts";
import { createRestApi } from "../kit/rest-api.ts";
import type { RrsetApi } from "../kit/rrset-provider.ts";
import { createSignedCall } from "../kit/signed-call.ts";
import type { ProviderDeps } from "../kit/types.ts";
import { createZoneFinder, type Zone } from "../kit/zone-finder.ts";
import { sdkSign } from "./sdk-sign.ts";

/**
 * Huawei Cloud DNS API v2 (docs/providers/huaweicloud.md), every request AK/SK-signed (sdk-sign.ts). Public zones from
 * `GET /zones?type=public` (offset/limit, `metadata.total_count`); a name's set from `GET /zones/{id}/recordsets?name=
 * &type=` (a fuzzy match: filtered here), created by `POST …/recordsets`, replaced by `PUT …/recordsets/{id}`. Names
 * are absolute with a trailing dot; the set's description is its comment. A write answers `PENDING_*`: `confirm`
 * reads the set until `ACTIVE`. DeleteRecordSet (`DELETE …/recordsets/{id}`, DDNS_DELETE_ON_STOP) answers
 * `PENDING_DELETE`: `confirm` reads the set until it is gone (404). Errors are `{code, message}` (DNS) or `{error_code, error_msg}` (the API gateway).
 */
type HZone = Zone & { id: string };
/** An asynchronous change to poll; `deleting`: a DeleteRecordSet, done when the set is gone (404). */
type Handle = { zoneId: string; id: string; deleting?: true };
const SET = v.object({ id: v.string(), name: v.string(), type: v.string(), ttl: v.optional(v.number()), records: v.array(v.string()), status: v.optional(v.string()), description: v.nullish(v.string()) });
const SETS = v.object({ recordsets: v.array(SET), metadata: v.optional(v.object({ total_count: v.number() })) });
const ZONES = v.object({ zones: v.array(v.object({ id: v.string(), name: v.string() })), metadata: v.optional(v.object({ total_count: v.number() })) });

function explain(f: HttpFailure): Partial<Problem> | undefined {
  const e = f.json as { code?: unknown; message?: unknown; error_code?: unknown; error_msg?: unknown } | undefined;
  const code = typeof e?.code === "string" ? e.code : typeof e?.error_code === "string" ? e.error_code : undefined;
  const message = typeof e?.message === "string" ? e.message : typeof e?.error_msg === "string" ? e.error_msg : undefined;
  const said = `HTTP ${f.status}${code ? ` ${JSON.stringify(code)}` : ""}${message ? `: ${quoteBody(message)}` : ""}`;
  if (f.status === 429 || code === "APIGW.0308") return { kind: "rate-limited", reason: `Huawei Cloud's request limit is spent (${said})`, ...(f.retryAfterMs ? { retryAfterMs: f.retryAfterMs } : {}) };
  if (f.reason !== "http" || !code) return undefined;
  if (f.status === 401) return { kind: "auth", reason: `Huawei Cloud refused the AK/SK signature (${said}); check DDNS_PROVIDER_API_KEY (the AK) and DDNS_PROVIDER_API_TOKEN (its SK), and this host's clock` };
  if (f.status === 403) return { kind: "auth", reason: `Huawei Cloud refused the ${f.method} (${said}); give the AK's IAM user the policy "DNS FullAccess"${f.method === "GET" ? ' (or "DNS ReadOnlyAccess" plus write rights)' : ""}` };
  if (f.status === 404) return { kind: "config", tag: "stale-zone", reason: `Huawei Cloud no longer has the zone or record set (${said})` };
  if (f.status === 400) return { kind: "config", reason: `Huawei Cloud refused the record set (${said}); check DDNS_RECORD_TTL` };
  return undefined;
}

export function huaweiApi(s: { accessKey: string; secretKey: string; projectId: string | undefined; apiUrl: string }, deps: ProviderDeps): RrsetApi<HZone, Handle> {
  const project: Record<string, string> = s.projectId ? { "x-project-id": s.projectId } : {};
  const api = createRestApi(deps, { service: "Huawei Cloud", baseUrl: s.apiUrl, secrets: [s.secretKey, s.accessKey], explain, errorText: (f) => { const e = f.json as { message?: string; error_msg?: string } | undefined; return e?.message ?? e?.error_msg; } });
  const call = createSignedCall(api, s.apiUrl, ({ method, url, body }) => ({
    ...(s.projectId ? { "X-Project-Id": s.projectId } : {}),
    ...sdkSign({ accessKey: s.accessKey, secretKey: s.secretKey, method, url, body, headers: { ...project, ...(body ? { "content-type": "application/json" } : {}) }, now: deps.now() }),
  }), { sortQuery: true });
  const ids = new Map<string, string>();
  const key = (zone: HZone, name: string, type: string) => `${zone.id} ${name} ${type}`;
  const pending = (zoneId: string, set: v.InferOutput<typeof SET>): Answer<Handle | void> =>
    set.status === "ERROR" ? fail({ kind: "transient", mayHaveArrived: false, reason: "Huawei Cloud could not apply the change (the record set's status is ERROR)" }) : ok(set.status?.startsWith("PENDING") ? { zoneId, id: set.id } : undefined);

  return {
    service: "Huawei Cloud",
    zoneFix: "add the domain as a public zone in Huawei Cloud DNS, in the account the AK belongs to",
    defaultTtl: 300,
    deletesSets: true,
    // Huawei Cloud DNS wants TXT records in double quotes.
    txtValue: (text) => `"${text}"`,
    zones: createZoneFinder<HZone>({
      now: deps.now,
      list: async (signal) => {
        let offset = 0;
        const all = await collectPages(async () => {
          const page = mapAnswer(shaped(await call("GET", "/zones", { query: { type: "public", limit: 100, offset }, signal }), ZONES, "Huawei Cloud's zone list"), (b) => ({ items: b.zones, ...(b.metadata ? { total: b.metadata.total_count } : {}) }));
          if (page.ok) offset += page.value.items.length;
          return page;
        }, { service: "Huawei Cloud" });
        return mapAnswer(all, (zones) => zones.map((z) => ({ id: z.id, name: z.name.toLowerCase().replace(/\.$/, "") })));
      },
    }),
    async read(zone, name, type, signal) {
      const answer = shaped(await call("GET", `/zones/${zone.id}/recordsets`, { query: { name: `${name}.`, type, limit: 100 }, signal }), SETS, "Huawei Cloud's record sets");
      if (!answer.ok) return answer;
      const set = answer.value.recordsets.find((r) => r.type === type && r.name.toLowerCase() === `${name}.`);
      if (!set) return (ids.delete(key(zone, name, type)), ok(undefined));
      ids.set(key(zone, name, type), set.id);
      return ok({ values: set.records, ...(set.ttl === undefined ? {} : { ttl: set.ttl }), ...(set.description ? { comment: set.description } : {}) });
    },
    async write(zone, [c], signal) {
      if (!c) return ok(undefined);
      const id = c.previous ? ids.get(key(zone, c.name, c.type)) : undefined;
      if (c.values.length === 0) {
        // A change with no values deletes the set (DDNS_DELETE_ON_STOP); a 404 is a set already gone.
        if (!id) return ok(undefined);
        const gone = await call("DELETE", `/zones/${zone.id}/recordsets/${id}`, { signal, missingOk: true });
        ids.delete(key(zone, c.name, c.type));
        if (!gone.ok || gone.value === undefined) return mapAnswer(gone, () => undefined);
        const set = shaped(gone, SET, "Huawei Cloud's answer to the deletion");
        if (!set.ok) return fail({ ...set.problem, mayHaveArrived: true });
        const state = pending(zone.id, set.value);
        return state.ok && state.value ? ok({ ...state.value, deleting: true }) : state;
      }
      const description = c.comment ?? c.previous?.comment;
      const body = { records: c.values, ttl: c.ttl, ...(description ? { description } : {}) };
      const answer = id
        ? await call("PUT", `/zones/${zone.id}/recordsets/${id}`, { body, signal })
        : await call("POST", `/zones/${zone.id}/recordsets`, { body: { name: `${c.name}.`, type: c.type, ...body }, signal });
      if (!answer.ok) return answer;
      const set = shaped(answer, SET, "Huawei Cloud's answer to the change");
      if (!set.ok) return fail({ ...set.problem, mayHaveArrived: true });
      ids.set(key(zone, c.name, c.type), set.value.id);
      return pending(zone.id, set.value);
    },
    async confirm(handle, signal) {
      const read = await call("GET", `/zones/${handle.zoneId}/recordsets/${handle.id}`, { signal, ...(handle.deleting ? { missingOk: true } : {}) });
      if (handle.deleting && read.ok && read.value === undefined) return ok("done");
      const set = shaped(read, SET, "Huawei Cloud's record set");
      if (!set.ok) return set;
      const state = pending(handle.zoneId, set.value);
      return state.ok ? ok(state.value ? "pending" : "done") : state;
    },
  };
}
