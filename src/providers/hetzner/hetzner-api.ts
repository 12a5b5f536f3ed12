import { retryAfterOrReset } from "../kit/retry-after.ts";
import * as v from "valibot";
import { fail, mapAnswer, ok, shaped, type Answer, type Problem } from "../kit/answer.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import type { HttpFailure } from "../kit/http-types.ts";
import { collectPages } from "../kit/paginate.ts";
import { createRestApi } from "../kit/rest-api.ts";
import type { RrsetApi } from "../kit/rrset-provider.ts";
import type { ProviderDeps } from "../kit/types.ts";
import { createZoneFinder, relativeName } from "../kit/zone-finder.ts";

/**
 * The DNS part of the Hetzner Cloud API (docs/providers/hetzner.md): zones listed from `GET /zones` (pages of 50,
 * `meta.pagination.next_page`), one set read by `GET /zones/{id}/rrsets/{name}/{type}` (404: none), written by
 * `POST /zones/{id}/rrsets` or `…/actions/set_records` (+ `change_ttl` for a TTL the operator set). Every write answers
 * an action that runs asynchronously; `confirm` polls `GET /zones/actions/{id}` until success or error. Comments are
 * per record; an rrset without a TTL of its own uses the zone's.
 */
type HZone = { name: string; id: number; ttl: number };
const ACTION = v.object({ id: v.number(), command: v.string(), status: v.picklist(["running", "success", "error"]), error: v.nullish(v.object({ code: v.string(), message: v.string() })) });
const RRSET = v.object({ rrset: v.object({ ttl: v.nullable(v.number()), records: v.array(v.object({ value: v.string(), comment: v.optional(v.string()) })) }) });
const ZONES = v.object({ zones: v.array(v.object({ id: v.number(), name: v.string(), ttl: v.number() })), meta: v.object({ pagination: v.object({ next_page: v.nullable(v.number()), total_entries: v.number() }) }) });
type Action = v.InferOutput<typeof ACTION>;

function explain(f: HttpFailure, now: () => number): Partial<Problem> | undefined {
  const e = (f.json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const code = typeof e?.code === "string" ? e.code : undefined;
  const said = `HTTP ${f.status}${code ? ` ${JSON.stringify(code)}` : ""}${typeof e?.message === "string" ? `: ${quoteBody(e.message)}` : ""}`;
  if (f.status === 429) {
    const retryAfterMs = retryAfterOrReset(f, "ratelimit-reset", now());
    return { kind: "rate-limited", reason: `Hetzner's request limit for this project is spent (${said}; 3,600 requests an hour)`, ...(retryAfterMs ? { retryAfterMs } : {}) };
  }
  if (f.reason !== "http" || code === undefined) return undefined;
  if (code === "unauthorized") return { kind: "auth", reason: `Hetzner refused the token (${said}); check DDNS_PROVIDER_API_TOKEN: an API token of the Hetzner Cloud project that holds the zones (not an old DNS Console token)` };
  if (code === "forbidden" || code === "token_readonly") return { kind: "auth", reason: `Hetzner refused the ${f.method} (${said}); the token in DDNS_PROVIDER_API_TOKEN needs the permission "Read & Write"` };
  if (code === "not_found" && f.method !== "GET") return { kind: "config", tag: "stale-zone", reason: `Hetzner no longer has the zone or record set (${said})` };
  if (code === "incorrect_zone_mode") return { kind: "config", reason: `Hetzner refused the change (${said}); the zone is in secondary mode: change it at its primary server, or make it primary` };
  if (code === "protected") return { kind: "config", reason: `Hetzner refused the change (${said}); the record set is protected: lift its change protection in the Console` };
  if (code === "uniqueness_error" || code === "locked" || code === "conflict") return { kind: "transient", reason: `Hetzner refused the change for now (${said}); the record set was being changed at the same time` };
  if (code === "invalid_input") return { kind: "config", reason: `Hetzner refused the record set (${said}); check DDNS_RECORD_TTL (60…2147483647 at Hetzner)` };
  return undefined;
}

/** An action as the template's handle: the ids still running, or the action's own failure. */
function pending(actions: Action[]): Answer<number[] | void> {
  const failed = actions.find((a) => a.status === "error");
  if (failed) return fail({ kind: "transient", mayHaveArrived: false, reason: `Hetzner could not apply the change (action ${JSON.stringify(failed.command)} failed${failed.error ? `: ${JSON.stringify(failed.error.code)} ${quoteBody(failed.error.message)}` : ""})` });
  const running = actions.filter((a) => a.status === "running").map((a) => a.id);
  return ok(running.length > 0 ? running : undefined);
}

export function hetznerApi(s: { token: string; apiUrl: string }, deps: ProviderDeps): RrsetApi<HZone, number[]> {
  const api = createRestApi(deps, { service: "Hetzner", baseUrl: s.apiUrl, headers: { Authorization: `Bearer ${s.token}` }, secrets: [s.token], explain: (f) => explain(f, deps.now), errorText: (f) => (f.json as { error?: { message?: string } })?.error?.message });
  /** One change: its action, or the problem (an answer in another shape may still have changed the set). */
  async function action(path: string, body: object | undefined, signal: AbortSignal): Promise<Answer<Action>> {
    const answer = await api.call(body === undefined ? "DELETE" : "POST", path, { ...(body === undefined ? {} : { body }), signal });
    if (!answer.ok) return answer;
    const parsed = shaped(answer, v.object({ action: ACTION }), "Hetzner's answer to the change");
    return parsed.ok ? ok(parsed.value.action) : fail({ ...parsed.problem, mayHaveArrived: true });
  }

  return {
    service: "Hetzner",
    zoneFix: "add the zone under DNS in the Hetzner Console project the token belongs to",
    defaultTtl: (zone) => zone.ttl,
    deletesSets: true,
    // Hetzner takes TXT values in zone-file syntax: one quoted character-string.
    txtValue: (text) => `"${text}"`,
    zones: createZoneFinder<HZone>({
      now: deps.now,
      list: (signal) =>
        collectPages<HZone>(async (page) => mapAnswer(shaped(await api.call("GET", "/zones", { query: { page, per_page: 50 }, signal }), ZONES, "Hetzner's zone list"), (b) => ({
          items: b.zones.map((z) => ({ id: z.id, name: z.name.toLowerCase(), ttl: z.ttl })), last: b.meta.pagination.next_page === null, total: b.meta.pagination.total_entries,
        })), { service: "Hetzner" }),
    }),
    async read(zone, name, type, signal) {
      const answer = await api.call("GET", `/zones/${zone.id}/rrsets/${relativeName(name, zone.name)}/${type}`, { signal, missingOk: true });
      if (answer.ok && answer.value === undefined) return ok(undefined);
      return mapAnswer(shaped(answer, RRSET, "Hetzner's record set"), ({ rrset }) => ({
        values: rrset.records.map((r) => r.value), ttl: rrset.ttl ?? zone.ttl, ...(rrset.records[0]?.comment ? { comment: rrset.records[0].comment } : {}),
      }));
    },
    async write(zone, [c], signal) {
      if (!c) return ok(undefined);
      const name = relativeName(c.name, zone.name);
      const set = `/zones/${zone.id}/rrsets/${name}/${c.type}`;
      // A change with no values deletes the set (DDNS_DELETE_ON_STOP): `DELETE` of the set, an action like the others.
      if (c.values.length === 0) {
        const deleted = await action(set, undefined, signal);
        return deleted.ok ? pending([deleted.value]) : deleted;
      }
      const comment = c.comment ?? c.previous?.comment;
      const records = c.values.map((value) => ({ value, ...(comment ? { comment } : {}) }));
      const ttl = typeof c.request.ttl === "number" ? c.request.ttl : undefined;
      const first = c.previous
        ? await action(`${set}/actions/set_records`, { records }, signal)
        : await action(`/zones/${zone.id}/rrsets`, { name, type: c.type, records, ...(ttl ? { ttl } : {}) }, signal);
      if (!first.ok) return first;
      if (!c.previous || ttl === undefined || ttl === c.previous.ttl) return pending([first.value]);
      // The records are replaced already: a refused TTL change leaves the set half written.
      const second = await action(`${set}/actions/change_ttl`, { ttl }, signal);
      return second.ok ? pending([first.value, second.value]) : fail({ ...second.problem, mayHaveArrived: true });
    },
    async confirm(ids, signal) {
      const actions: Action[] = [];
      for (const id of ids) {
        const answer = shaped(await api.call("GET", `/zones/actions/${id}`, { signal }), v.object({ action: ACTION }), "Hetzner's action");
        if (!answer.ok) return answer;
        actions.push(answer.value.action);
      }
      const state = pending(actions);
      return state.ok ? ok(state.value ? "pending" : "done") : state;
    },
  };
}
