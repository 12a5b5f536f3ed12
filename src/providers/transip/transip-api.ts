import * as v from "valibot";
import { mapAnswer, ok, shaped, type Answer, type Problem } from "../kit/answer.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import { hideDomain } from "../kit/hide-domain.ts";
import type { HttpFailure, HttpMethod } from "../kit/http-types.ts";
import type { HeldRecord } from "../kit/record-plan.ts";
import type { RecordApi } from "../kit/record-provider.ts";
import { createRestApi } from "../kit/rest-api.ts";
import { createSecretSet } from "../kit/secret-set.ts";
import type { ProviderDeps } from "../kit/types.ts";
import { createZoneFinder, relativeName, type Zone } from "../kit/zone-finder.ts";
import { createTransipSignIn, signInProblem, type TransipSignIn } from "./transip-auth.ts";

/**
 * TransIP REST API v6 (docs/providers/transip.md): a Bearer JWT from the signed sign-in (transip-auth.ts); the
 * account's domains from `GET /domains`; a domain's entries from `GET /domains/{domain}/dns` (`{name, expire, type,
 * content}`, names relative, "@" at the apex; entries have no ids: one is named by all four fields); added with
 * `POST …/dns`, changed with `PATCH …/dns` (the entry named by name, type and TTL gets the new content), removed
 * with `DELETE …/dns`, all `{"dnsEntry": {…}}`. Two entries may share name, type and TTL: when TransIP refuses the
 * PATCH (and always with DDNS_OWNER_ID), the change adds the new entry and then removes the old one. Errors are `{"error": "…"}`.
 */
const ENTRY = v.object({ name: v.string(), expire: v.number(), type: v.string(), content: v.string() });
type Entry = v.InferOutput<typeof ENTRY>;

function explain(f: HttpFailure): Partial<Problem> | undefined {
  const e = (f.json as { error?: unknown } | undefined)?.error;
  const said = `HTTP ${f.status}${typeof e === "string" ? `: ${quoteBody(e)}` : ""}`;
  if (f.status === 429) return { kind: "rate-limited", reason: `TransIP's request limit is spent (${said})`, ...(f.retryAfterMs ? { retryAfterMs: f.retryAfterMs } : {}) };
  if (f.reason !== "http" || typeof e !== "string") return undefined;
  if (/\/auth$/.test(f.url)) return signInProblem(f.status, said);
  if (f.status === 401) return { kind: "auth", reason: `TransIP refused the session token (${said}); check DDNS_TRANSIP_LOGIN and the key in DDNS_PROVIDER_API_TOKEN_FILE` };
  if (f.status === 403) return { kind: "auth", reason: `TransIP refused the ${f.method} (${said}); the API key must not be read-only, and the domain must be this account's` };
  if (f.status === 404) return { kind: "config", reason: `TransIP no longer has it (${said})`, tag: f.method === "DELETE" ? "stale-record" : "stale-zone" };
  if (f.status === 406 || f.status === 409) return { kind: "config", reason: `TransIP refused the entry (${said}); check DDNS_RECORD_TTL (at least 60)`, ...(f.status === 409 ? { tag: "conflict" as const } : {}) };
  return undefined;
}

/**
 * Entries have no id: the held id names the entry by all its fields, `name|expire|type|content` ("home|3600|A|192.0.2.1").
 * No commas: with DDNS_OWNER_ID the id goes into the owner TXT (`…,record=<id>`), where commas separate the fields.
 * It changes with the address, so an update moves the owner TXT to the new id (record-writes.ts, "registry-move").
 */
const idOf = (e: Entry) => [e.name, e.expire, e.type, e.content].join("|");
const entryOf = (id: string): Entry => {
  const [name = "", expire = "", type = "", ...content] = id.split("|");
  // Only a TXT entry's content may hold "|": everything after the third one is the content.
  return { name, expire: Number(expire), type, content: content.join("|") };
};
const held = (e: Entry): HeldRecord => ({ id: idOf(e), content: e.content, ttl: e.expire });

export function transipApi(s: TransipSignIn & { apiUrl: string }, deps: ProviderDeps): RecordApi<Zone> {
  // The session's JWT joins the key and the login once TransIP hands it out; the sign-in's own client reads it unredacted.
  const secrets = createSecretSet([s.pem, s.login]);
  const client = (redacted: typeof secrets | string[]) => createRestApi(deps, { service: "TransIP", baseUrl: s.apiUrl, secrets: redacted, explain, errorText: (f) => (f.json as { error?: string } | undefined)?.error });
  const api = client(secrets);
  const session = createTransipSignIn(client([s.pem, s.login]), s, deps.now, deps.random, secrets);
  async function call(method: HttpMethod, path: string, signal: AbortSignal, domain: string, body?: object, again = true): Promise<Answer<unknown>> {
    const token = await session.token(signal);
    if (!token.ok) return token;
    const answer = await api.call(method, path, { signal, headers: { Authorization: `Bearer ${token.value}` }, ...(body ? { body } : {}) });
    // A token revoked or expired early: sign in once more.
    if (!answer.ok && answer.problem.kind === "auth" && again && !answer.problem.mayHaveArrived && /session token/.test(answer.problem.reason)) return (session.forget(), call(method, path, signal, domain, body, false));
    return domain ? hideDomain(answer, domain) : answer;
  }
  const dns = (zone: Zone) => `/domains/${encodeURIComponent(zone.name)}/dns`;
  const entries = async (zone: Zone, type: string, signal: AbortSignal) =>
    mapAnswer(shaped(await call("GET", dns(zone), signal, zone.name), v.object({ dnsEntries: v.array(ENTRY) }), "TransIP's DNS entries"), (l) => l.dnsEntries.filter((e) => e.type === type));
  const nameOf = (e: Entry, zone: Zone) => (e.name === "@" ? zone.name : `${e.name.toLowerCase()}.${zone.name}`);
  const add = async (zone: Zone, entry: Entry, signal: AbortSignal) => mapAnswer(await call("POST", dns(zone), signal, zone.name, { dnsEntry: entry }), () => held(entry));

  return {
    service: "TransIP",
    zoneFix: "add the domain to the TransIP account of DDNS_TRANSIP_LOGIN",
    zones: createZoneFinder<Zone>({
      now: deps.now,
      list: async (signal) => mapAnswer(shaped(await call("GET", "/domains", signal, ""), v.object({ domains: v.array(v.object({ name: v.string() })) }), "TransIP's domain list"), (l) => l.domains.map((d) => ({ name: d.name.toLowerCase() }))),
    }),
    list: async (zone, name, type, signal) => mapAnswer(await entries(zone, type, signal), (found) => found.filter((e) => nameOf(e, zone) === name).map(held)),
    listAll: async (zone, type, signal) => mapAnswer(await entries(zone, type, signal), (found) => found.map((e) => ({ ...held(e), name: nameOf(e, zone) }))),
    create: (zone, record, signal) => add(zone, { name: relativeName(record.name, zone.name), expire: record.ttl ?? 3600, type: record.type, content: record.content }, signal),
    async update(zone, record, changes, request, signal) {
      const old = entryOf(record.id);
      // With DDNS_OWNER_ID another daemon's entry may share name, type and TTL, and a PATCH names the entry by just
      // these: the new entry is added and this one removed by all four fields, so another's is never touched.
      if (request.ownerId === undefined) {
        const patched = await call("PATCH", dns(zone), signal, zone.name, { dnsEntry: { ...old, content: changes.content } });
        if (patched.ok) return ok({ id: idOf({ ...old, content: changes.content }) });
        if (patched.problem.kind !== "config" || patched.problem.mayHaveArrived) return patched;
      }
      const added = await add(zone, { ...old, content: changes.content }, signal);
      if (!added.ok) return added;
      const removed = await call("DELETE", dns(zone), signal, zone.name, { dnsEntry: old });
      // The new entry is in; an old one already gone is what was wanted.
      if (!removed.ok && removed.problem.tag !== "stale-record") return removed;
      return ok({ id: added.value.id });
    },
    remove: async (zone, record, signal) => mapAnswer(await call("DELETE", dns(zone), signal, zone.name, { dnsEntry: entryOf(record.id) }), () => undefined),
  };
}
