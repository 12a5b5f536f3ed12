import * as v from "valibot";
import { fail, mapAnswer, ok, shaped, type Answer, type Problem } from "../kit/answer.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import type { HttpFailure } from "../kit/http-types.ts";
import type { HeldRecord, RecordPlan } from "../kit/record-plan.ts";
import type { RecordApi } from "../kit/record-provider.ts";
import { createRestApi } from "../kit/rest-api.ts";
import { createSecretSet } from "../kit/secret-set.ts";
import type { ProviderDeps } from "../kit/types.ts";
import { createZoneFinder, relativeName, type Zone } from "../kit/zone-finder.ts";

/**
 * netcup's CCP DNS API (docs/providers/netcup.md): JSON `{action, param}` POSTs to one endpoint, always HTTP 200 with
 * `{status, statuscode, shortmessage, longmessage, responsedata}`. `login` (customer number, API key, API password)
 * opens a session every other action names; it lapses after 15 minutes idle, so ddnsd logs in again after 10 and once
 * more when an answer says the session is gone, and logs out when it stops; the session id is a credential too, so
 * it joins the redaction set the moment the login answers. There is no zone listing: zones are found
 * by `infoDnsZone` per suffix. `infoDnsRecords` reads a zone's records; `updateDnsRecords` creates (no id), changes
 * (id) and deletes (`deleterecord`) them, several in one call: the record template's `batch` sends every change of
 * one zone in a round as one call (a refused one is retried record by record). Records have no TTL of their own.
 */
const SESSION_MS = 10 * 60_000;
const RECORD = v.object({ id: v.string(), hostname: v.string(), type: v.string(), destination: v.string() });
const RECORDS = v.object({ dnsrecords: v.optional(v.array(RECORD), []) });
type Said = { action?: unknown; status?: unknown; statuscode?: unknown; shortmessage?: unknown; longmessage?: unknown; responsedata?: unknown };
type Settings = { customer: string; apiKey: string; apiPassword: string; apiUrl: string };
const isSessionGone = (b: Said) => b.statuscode === 4001 || /session/i.test(`${String(b.shortmessage)} ${String(b.longmessage)}`);

function explain(f: HttpFailure): Partial<Problem> | undefined {
  const b = f.json as Said | undefined;
  if (typeof b?.statuscode !== "number") return f.status === 429 ? { kind: "rate-limited", reason: "netcup's request limit is spent (HTTP 429)" } : undefined;
  const said = `${typeof b.action === "string" && /^[a-z]{1,40}$/i.test(b.action) ? `${b.action} answered` : "the answer says"} ${b.statuscode}${typeof b.shortmessage === "string" ? ` ${quoteBody(b.shortmessage)}` : ""}${typeof b.longmessage === "string" && b.longmessage ? ` ${quoteBody(b.longmessage)}` : ""}`;
  if (b.action === "login") return { kind: "auth", reason: `netcup refused the login (${said}); check DDNS_NETCUP_CUSTOMER_NUMBER, DDNS_PROVIDER_API_KEY and DDNS_PROVIDER_API_TOKEN (the API password)` };
  if (/limit|too many/i.test(`${String(b.shortmessage)} ${String(b.longmessage)}`)) return { kind: "rate-limited", reason: `netcup's request limit is spent (${said})` };
  if (isSessionGone(b)) return { kind: "transient", reason: `netcup dropped the session (${said})` };
  if (/domain not found/i.test(String(b.longmessage))) return { kind: "config", tag: "stale-zone", reason: `netcup does not have the domain (${said})` };
  return { kind: "config", reason: `netcup refused the change (${said})` };
}

export function netcupApi(s: Settings, deps: ProviderDeps): RecordApi<Zone> & { logout(): Promise<void> } {
  // The login's client reads the session id unredacted; every other action's redacts it.
  const secrets = createSecretSet([s.apiPassword, s.apiKey]);
  const client = (redacted: typeof secrets | string[]) => createRestApi(deps, { service: "netcup", baseUrl: s.apiUrl, secrets: redacted, explain, errorText: (f) => String((f.json as Said | undefined)?.longmessage ?? "") });
  const api = client(secrets);
  const loginApi = client([s.apiPassword, s.apiKey]);
  let session: { id: Promise<Answer<string>>; at: number } | undefined;

  /** One action, its verdict read from the envelope (every answer is HTTP 200); a refusal keeps the envelope. */
  async function post(action: string, param: object, signal: AbortSignal, write: boolean): Promise<Answer<unknown> & { said?: Said }> {
    const via = action === "login" ? loginApi : api;
    const answer = shaped(await via.call("POST", s.apiUrl, { body: { action, param }, signal, write }), v.looseObject({ status: v.string(), statuscode: v.number() }), `netcup's answer to ${action}`);
    if (!answer.ok) return write ? fail({ ...answer.problem, mayHaveArrived: true }) : answer;
    const said = { ...(answer.value as Said), action };
    if (said.status === "success") return ok(said.responsedata);
    const endpoint = new URL(s.apiUrl);
    return { ...fail(via.problem({ reason: "http", method: "POST", url: `${endpoint.origin}${endpoint.pathname}`, status: 200, json: said, mayHaveArrived: false })), said };
  }
  async function openSession(signal: AbortSignal): Promise<Answer<string>> {
    const answer = shaped(await post("login", { customernumber: s.customer, apikey: s.apiKey, apipassword: s.apiPassword }, signal, false), v.object({ apisessionid: v.string() }), "netcup's login answer");
    if (answer.ok) secrets.learn(answer.value.apisessionid);
    return mapAnswer(answer, (b) => b.apisessionid);
  }
  /** The session, opened once for all callers; a failed login is not kept. */
  function login(signal: AbortSignal): Promise<Answer<string>> {
    if (session && deps.now() - session.at < SESSION_MS) return session.id;
    const opened = { id: openSession(signal), at: deps.now() };
    session = opened;
    void opened.id.then((a) => { if (!a.ok && session === opened) session = undefined; });
    return opened.id;
  }
  /** An action in the session; a session netcup dropped is opened again once. */
  async function inSession(action: string, param: object, signal: AbortSignal, write = false): Promise<Answer<unknown>> {
    for (const retry of [false, true]) {
      const id = await login(signal);
      if (!id.ok) return id;
      const answer = await post(action, { ...param, customernumber: s.customer, apikey: s.apiKey, apisessionid: id.value }, signal, write);
      if (answer.ok || retry || !answer.said || !isSessionGone(answer.said)) return answer;
      session = undefined;
    }
    return fail({ kind: "transient", reason: "netcup dropped the session twice" });
  }
  /** A zone's records; netcup answers a zone without any with an error ("No DNS records found"). */
  async function records(zone: Zone, signal: AbortSignal): Promise<Answer<v.InferOutput<typeof RECORDS>>> {
    const answer = await inSession("infoDnsRecords", { domainname: zone.name }, signal);
    if (!answer.ok && /no dns records/i.test(answer.problem.reason)) return ok({ dnsrecords: [] });
    return shaped(answer, RECORDS, "netcup's record list");
  }
  /** What a record id stands for, as last read (a delete must name the record's host, type and value). */
  const known = new Map<string, v.InferOutput<typeof RECORD>>();
  const held = (r: v.InferOutput<typeof RECORD>): HeldRecord => (known.set(r.id, r), { id: r.id, content: r.destination });
  const update = async (zone: Zone, records: object[], signal: AbortSignal) => shaped(await inSession("updateDnsRecords", { domainname: zone.name, dnsrecordset: { dnsrecords: records } }, signal, true), RECORDS, "netcup's answer to the change");
  const notRead = () => fail({ kind: "transient", tag: "stale-record", reason: "netcup's record was not read in this round" });
  const deletion = (r: v.InferOutput<typeof RECORD>) => ({ id: r.id, hostname: r.hostname, type: r.type, destination: r.destination, deleterecord: true });
  /** The record netcup's answer (the zone's records after the change) shows for what was created. */
  const madeIn = (all: Array<v.InferOutput<typeof RECORD>>, hostname: string, type: string, content: string) => all.find((r) => r.type === type && r.hostname.toLowerCase() === hostname && r.destination === content);

  return {
    service: "netcup",
    zoneFix: "the domain must be one of the netcup customer's, with its DNS at netcup (CCP → Domains → DNS)",
    zones: createZoneFinder<Zone>({
      now: deps.now,
      async lookup(candidate, signal) {
        const answer = await inSession("infoDnsZone", { domainname: candidate }, signal);
        if (!answer.ok) return answer.problem.tag === "stale-zone" ? ok(undefined) : answer;
        return mapAnswer(shaped(answer, v.object({ name: v.string() }), "netcup's zone"), (z) => ({ name: z.name.toLowerCase() }));
      },
    }),
    async list(zone, name, type, signal) {
      const host = relativeName(name, zone.name);
      return mapAnswer(await records(zone, signal), (b) => b.dnsrecords.filter((r) => r.type === type && r.hostname.toLowerCase() === host).map(held));
    },
    async create(zone, record, signal) {
      const hostname = relativeName(record.name, zone.name);
      const answer = await update(zone, [{ hostname, type: record.type, destination: record.content, deleterecord: false }], signal);
      if (!answer.ok) return answer.problem.reason.includes("documented shape") ? ok(undefined) : answer;
      const made = madeIn(answer.value.dnsrecords, hostname, record.type, record.content);
      return ok(made ? held(made) : undefined);
    },
    update: async (zone, record, changes, request, signal) =>
      mapAnswer(await update(zone, [{ id: record.id, hostname: relativeName(request.name, zone.name), type: request.type, destination: changes.content, deleterecord: false }], signal), () => undefined),
    remove: async (zone, record, signal) => {
      const r = known.get(record.id);
      if (!r) return notRead();
      return mapAnswer(await update(zone, [deletion(r)], signal), () => undefined);
    },
    /** Every change of the zone's plans in one updateDnsRecords call; per plan, the record that holds the address. */
    async batch(zone, plans: RecordPlan[], signal) {
      const records: object[] = [];
      for (const p of plans) {
        if (p.update && p.keep) records.push({ id: p.keep.id, hostname: relativeName(p.request.name, zone.name), type: p.request.type, destination: p.update.content, deleterecord: false });
        if (p.create) records.push({ hostname: relativeName(p.create.name, zone.name), type: p.create.type, destination: p.create.content, deleterecord: false });
        for (const d of p.deletes) {
          const r = known.get(d.id);
          if (!r) return notRead();
          records.push(deletion(r));
        }
      }
      const answer = await update(zone, records, signal);
      if (!answer.ok && !answer.problem.reason.includes("documented shape")) return answer;
      const after = answer.ok ? answer.value.dnsrecords : [];
      return ok(plans.map((p) => {
        if (p.create) {
          const made = madeIn(after, relativeName(p.create.name, zone.name), p.create.type, p.create.content);
          return made ? held(made) : undefined;
        }
        const now = p.keep && after.find((r) => r.id === p.keep!.id);
        return now ? held(now) : p.keep && { ...p.keep, ...p.update };
      }));
    },
    async logout() {
      const id = session && (await session.id);
      session = undefined;
      if (id?.ok) await post("logout", { customernumber: s.customer, apikey: s.apiKey, apisessionid: id.value }, AbortSignal.timeout(5_000), false);
    },
  };
}
