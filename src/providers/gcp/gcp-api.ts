import { ConfigError } from "../../core/errors.ts";
import { mapAnswer, ok, type Answer } from "../kit/answer.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import type { HttpFailure, HttpMethod } from "../kit/http-types.ts";
import { createRestApi, type RestCall, type ServiceReading } from "../kit/rest-api.ts";
import type { RrsetApi } from "../kit/rrset-provider.ts";
import { createSecretSet } from "../kit/secret-set.ts";
import type { ProviderDeps } from "../kit/types.ts";
import { createZoneFinder, type Zone } from "../kit/zone-finder.ts";
import { createTokenSource, keySecrets, readKey } from "./service-account.ts";

/**
 * Google Cloud DNS API v1 (docs/providers/gcp.md): managed zones found by `dnsName`, the set of a name and type read
 * from `rrsets`, replaced by one Change per zone (`deletions` = the sets as read, `additions` = the new ones), and
 * the change polled until its status is "done". Errors are `{"error": {code, message, status, errors: [{reason}]}}`.
 */
interface ManagedZone extends Zone { id: string }
interface Rrset { name: string; type: string; ttl: number; rrdatas: string[] }
const fq = (name: string) => `${name}.`;

function explain(f: HttpFailure, project: string): ServiceReading | undefined {
  const e = (f.json as { error?: { message?: unknown; status?: unknown; errors?: Array<{ reason?: unknown }> } } | undefined)?.error;
  if (f.reason !== "http" || !e) return undefined;
  const reason = e.errors?.[0]?.reason;
  const said = `HTTP ${f.status}${typeof e.status === "string" ? ` ${e.status}` : typeof reason === "string" ? ` ${reason}` : ""}${typeof e.message === "string" ? `: ${quoteBody(e.message)}` : ""}`;
  if (f.status === 429 || reason === "rateLimitExceeded" || reason === "quotaExceeded") return { kind: "rate-limited", reason: `Cloud DNS asked to slow down (${said})`, retryAfterMs: f.retryAfterMs ?? 2000 };
  if (f.status === 401) return { kind: "auth", reason: `Cloud DNS refused the access token (${said}); check DDNS_PROVIDER_API_TOKEN: the key of a service account that still exists` };
  if (f.status === 403) return { kind: "auth", reason: `Cloud DNS refused the ${f.method} (${said}); give the service account the role DNS Administrator (roles/dns.admin) on project ${JSON.stringify(project)}, or check DDNS_GCP_PROJECT` };
  if (f.status === 404 && /\/managedZones\/[^/]+\/(rrsets|changes)$/.test(f.url.replace(/\?…$/, ""))) return { kind: "config", reason: `Cloud DNS no longer has the managed zone (${said})`, tag: "stale-zone" };
  if (f.status === 404) return { kind: "config", reason: `Cloud DNS has no such project or zone (${said}); check DDNS_GCP_PROJECT` };
  // 412: a deletion no longer matches the set (a DDNS_DELETE_ON_STOP change of a set changed since it was read stays).
  if (f.status === 409 || f.status === 412) return { kind: "transient", reason: `Cloud DNS refused the change because the record set changed meanwhile (${said}); ddnsd reads it again`, ...(f.status === 412 ? { tag: "conflict" as const } : {}) };
  if (f.status === 400) return { kind: "config", reason: `Cloud DNS refused the change (${said}); check DDNS_RECORD_TTL and the record name` };
  return { account: said };
}

export function gcpApi(s: { token: string; project?: string | undefined; apiUrl: string }, deps: ProviderDeps): RrsetApi<ManagedZone, { zone: string; id: string }> {
  const key = readKey(s.token);
  const project = s.project ?? key.project_id;
  if (!project) throw new ConfigError("DDNS_GCP_PROJECT", "DDNS_GCP_PROJECT is required when the service-account key names no project_id.");
  // The access token the grant buys is redacted from Cloud DNS's answers like the key.
  const secrets = createSecretSet(keySecrets(key));
  const tokens = createTokenSource(key, deps, secrets);
  const api = createRestApi(deps, { service: "Cloud DNS", baseUrl: s.apiUrl, secrets, explain: (f) => explain(f, project) });
  const base = `/projects/${encodeURIComponent(project)}/managedZones`;
  const raw = new Map<string, Rrset>();

  async function call<T>(method: HttpMethod, path: string, init: RestCall): Promise<Answer<T | undefined>> {
    const token = await tokens.token(init.signal);
    if (!token.ok) return token;
    const a = await api.call<T>(method, path, { ...init, headers: { Authorization: `Bearer ${token.value}` } });
    if (!a.ok && a.problem.kind === "auth") tokens.forget();
    return a;
  }

  return {
    service: "Cloud DNS",
    zoneFix: `create a public managed zone for the domain in project ${JSON.stringify(project)} (Network services → Cloud DNS), or set DDNS_GCP_PROJECT`,
    defaultTtl: 300,
    // Cloud DNS takes TXT rrdatas in zone-file syntax: one quoted character-string.
    txtValue: (text) => `"${text}"`,
    maxPerWrite: 100,
    deletesSets: true,
    zones: createZoneFinder<ManagedZone>({
      now: deps.now,
      lookup: async (candidate, signal) =>
        mapAnswer(await call<{ managedZones?: Array<{ name: string; dnsName: string; visibility?: string }> }>("GET", base, { query: { dnsName: fq(candidate) }, signal }), (body) => {
          const zones = (body?.managedZones ?? []).filter((z) => z.dnsName?.toLowerCase() === fq(candidate));
          const z = zones.find((one) => one.visibility !== "private") ?? zones[0];
          return z ? { id: z.name, name: candidate } : undefined;
        }),
    }),
    async read(zone, name, type, signal) {
      const a = await call<{ rrsets?: Rrset[] }>("GET", `${base}/${zone.id}/rrsets`, { query: { name: fq(name), type }, signal });
      return mapAnswer(a, (body) => {
        const set = body?.rrsets?.find((r) => r.name?.toLowerCase() === fq(name) && r.type === type);
        if (set) raw.set(`${zone.id} ${name} ${type}`, set);
        else raw.delete(`${zone.id} ${name} ${type}`);
        return set ? { values: set.rrdatas ?? [], ttl: set.ttl } : undefined;
      });
    },
    async write(zone, changes, signal) {
      // A change with no values deletes the set (DDNS_DELETE_ON_STOP): a deletion that must match it exactly, no addition.
      const additions = changes.filter((c) => c.values.length > 0).map((c) => ({ name: fq(c.name), type: c.type, ttl: c.ttl, rrdatas: c.values }));
      const deletions = changes.flatMap((c) => {
        const held = raw.get(`${zone.id} ${c.name} ${c.type}`);
        return held && c.previous ? [{ name: held.name, type: held.type, ttl: held.ttl, rrdatas: held.rrdatas }] : [];
      });
      const a = await call<{ id?: string; status?: string }>("POST", `${base}/${zone.id}/changes`, { body: { ...(additions.length ? { additions } : {}), ...(deletions.length ? { deletions } : {}) }, signal });
      if (!a.ok) return a;
      for (const c of changes) raw.delete(`${zone.id} ${c.name} ${c.type}`);
      return ok(a.value?.status === "done" || !a.value?.id ? undefined : { zone: zone.id, id: a.value.id });
    },
    async confirm(handle, signal) {
      const a = await call<{ status?: string }>("GET", `${base}/${handle.zone}/changes/${encodeURIComponent(handle.id)}`, { signal });
      return mapAnswer(a, (body) => (body?.status === "done" ? "done" : "pending"));
    },
  };
}
