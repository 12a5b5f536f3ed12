import * as v from "valibot";
import { mapAnswer, ok, shaped, type Answer, type Problem } from "../kit/answer.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import type { HttpFailure } from "../kit/http-types.ts";
import type { HeldRecord } from "../kit/record-plan.ts";
import type { RecordApi } from "../kit/record-provider.ts";
import { createRestApi } from "../kit/rest-api.ts";
import type { ProviderDeps } from "../kit/types.ts";
import { createZoneFinder, type Zone } from "../kit/zone-finder.ts";

/**
 * DreamHost API (docs/providers/dreamhost.md): `GET /?key=…&cmd=…&format=json`; `dns-list_records` gives every
 * record of the account (`{zone, record, type, value, comment, editable}`, names absolute), `dns-add_record` and
 * `dns-remove_record` take `record`, `type`, `value` (and `comment`). There are no record ids and no update: a record
 * is its value, and a change is an add and a remove. Answers are `{"result": "success"|"error", "data": …}` in HTTP
 * 200; each write carries a fresh `unique_id`, so DreamHost never runs one twice.
 */
const LIST = v.object({ result: v.literal("success"), data: v.array(v.object({ zone: v.string(), record: v.string(), type: v.string(), value: v.string(), comment: v.optional(v.string()), editable: v.union([v.string(), v.number()]) })) });
type DRecord = v.InferOutput<typeof LIST>["data"][number];

const errorOf = (j: unknown) => (typeof j === "object" && j !== null && (j as { result?: unknown }).result === "error" ? String((j as { data?: unknown }).data ?? "") : undefined);

function explain(f: HttpFailure): Partial<Problem> | undefined {
  const code = errorOf(f.json);
  if (f.reason !== "http" || code === undefined || (f.status ?? 0) >= 300) return undefined;
  const said = `error ${quoteBody(code)}`;
  // A request DreamHost saw before (an HTTP client resent it after a lost answer): whether it ran is unknown.
  if (/unique_id/i.test(code)) return { kind: "transient", reason: `DreamHost had already received this very request (${said}), and its first answer was lost`, mayHaveArrived: true };
  if (/slow_down|rate/i.test(code)) return { kind: "rate-limited", reason: `DreamHost's request limit is spent (${said})`, retryAfterMs: 60_000 };
  if (/key|auth|cmd/i.test(code)) return { kind: "auth", reason: `DreamHost refused the API key (${said}); check DDNS_PROVIDER_API_TOKEN: a key from the panel's API page that may run dns-list_records, dns-add_record and dns-remove_record` };
  if (/not_editable/i.test(code)) return { kind: "config", reason: `DreamHost keeps this record itself (${said}); remove the hosting or mail service that made it, or let ddnsd keep another name` };
  if (/remove_first|already_exists/i.test(code)) return { kind: "config", reason: `DreamHost already has such a record (${said})`, tag: "conflict" };
  if (/no_such_zone/i.test(code)) return { kind: "config", reason: `DreamHost does not host the domain's DNS (${said})`, tag: "stale-zone" };
  if (/no_such/i.test(code)) return { kind: "config", reason: `DreamHost no longer has the record (${said})`, tag: "stale-record" };
  return { kind: "config", reason: `DreamHost refused the record (${said})` };
}

export function dreamhostApi(s: { key: string; apiUrl: string }, deps: ProviderDeps): RecordApi<Zone> {
  const api = createRestApi(deps, { service: "DreamHost", baseUrl: s.apiUrl, headers: { Accept: "application/json" }, secrets: [s.key], explain, verdict: (j) => (errorOf(j) === undefined ? "ok" : "refused"), errorText: (f) => errorOf(f.json) });
  const uniqueId = () => Array.from({ length: 4 }, () => Math.floor(deps.random() * 2 ** 32).toString(16).padStart(8, "0")).join("-");
  const cmd = (name: string, params: Record<string, string>, signal: AbortSignal, write: boolean) =>
    api.call("GET", "/", { query: { key: s.key, cmd: name, format: "json", ...(write ? { unique_id: uniqueId() } : {}), ...params }, signal, write });
  const all = async (signal: AbortSignal): Promise<Answer<DRecord[]>> => mapAnswer(shaped(await cmd("dns-list_records", {}, signal, false), LIST, "DreamHost's record list"), (l) => l.data);
  // No ids: a record's id is its name, type and value ("home.example.com A 192.0.2.1"); removals take the name and
  // type from it and the value from `content` (which an update changes, while the id stays).
  const idOf = (name: string, type: string, value: string) => `${name.toLowerCase()} ${type} ${value}`;
  const held = (r: DRecord): HeldRecord => ({ id: idOf(r.record, r.type, r.value), content: r.value, ...(r.comment ? { comment: r.comment } : {}) });
  /** The editable records of the zone and type (DreamHost's own, `editable: 0`, are never touched). */
  const records = async (zone: Zone, type: string, signal: AbortSignal) => mapAnswer(await all(signal), (rs) => rs.filter((r) => r.zone.toLowerCase() === zone.name && r.type === type && String(r.editable) === "1"));
  const add = (name: string, type: string, value: string, comment: string | undefined, signal: AbortSignal) =>
    cmd("dns-add_record", { record: name, type, value, ...(comment ? { comment } : {}) }, signal, true);
  const remove = (name: string, type: string, value: string, signal: AbortSignal) => cmd("dns-remove_record", { record: name, type, value }, signal, true);
  const done = (a: Answer<unknown>): Answer<void> => mapAnswer(a, () => undefined);

  return {
    service: "DreamHost",
    zoneFix: "add the domain to the DreamHost account with DNS hosted at DreamHost",
    // Zones are the `zone` values of the account's records: one listing, no lookup per suffix.
    zones: createZoneFinder<Zone>({ now: deps.now, list: async (signal) => mapAnswer(await all(signal), (rs) => [...new Set(rs.map((r) => r.zone.toLowerCase()))].map((name) => ({ name }))) }),
    list: async (zone, name, type, signal) => mapAnswer(await records(zone, type, signal), (found) => found.filter((r) => r.record.toLowerCase() === name).map(held)),
    listAll: async (zone, type, signal) => mapAnswer(await records(zone, type, signal), (found) => found.map((r) => ({ ...held(r), name: r.record.toLowerCase() }))),
    async create(_zone, record, signal) {
      const answer = await add(record.name, record.type, record.content, record.comment, signal);
      return answer.ok ? ok({ id: idOf(record.name, record.type, record.content), content: record.content, ...(record.comment ? { comment: record.comment } : {}) }) : answer;
    },
    async update(_zone, record, changes, request, signal) {
      const comment = changes.comment ?? record.comment;
      // A new value goes in before the old one leaves, so the name keeps answering; the same value (a new comment)
      // can only be removed and added again.
      if (changes.content !== record.content) {
        const added = await add(request.name, request.type, changes.content, comment, signal);
        if (added.ok || added.problem.tag !== "conflict") return added.ok ? done(await remove(request.name, request.type, record.content, signal)) : added;
      }
      const removed = await remove(request.name, request.type, record.content, signal);
      return removed.ok ? done(await add(request.name, request.type, changes.content, comment, signal)) : removed;
    },
    async remove(_zone, record, signal) {
      const [name = "", type = ""] = record.id.split(" ");
      return done(await remove(name, type, record.content, signal));
    },
  };
}
