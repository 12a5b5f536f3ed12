import { fail, ok, type Answer } from "../kit/answer.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import type { HttpFailure } from "../kit/http-types.ts";
import { createRestApi, type ServiceReading } from "../kit/rest-api.ts";
import type { SecretSet } from "../kit/secret-set.ts";
import type { ProviderDeps } from "../kit/types.ts";

/**
 * Microsoft Entra ID client credentials (OAuth 2.0, v2.0 endpoint): `POST <login>/<tenant>/oauth2/v2.0/token` with
 * client_id, client_secret and scope `https://management.azure.com/.default` buys a Bearer token for Azure Resource
 * Manager, kept until a minute before `expires_in` runs out; each token joins the redaction set of the ARM
 * client (`secrets`) as it arrives. Source: learn.microsoft.com/entra/identity-platform/
 * v2-oauth2-client-creds-grant-flow ("Get a token", "Error response"), read 2026-12-02.
 */
export interface AzureLogin { loginUrl: string; tenant: string; clientId: string; secret: string }

/** Entra's errors: `{"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret…", "error_codes": [7000215]}`. */
function explain(f: HttpFailure): ServiceReading | undefined {
  const e = f.json as { error?: unknown; error_description?: unknown; error_codes?: unknown } | undefined;
  if (f.reason !== "http" || typeof e?.error !== "string") return undefined;
  const description = typeof e.error_description === "string" ? e.error_description : "";
  const said = `HTTP ${f.status} ${JSON.stringify(e.error)}${description ? `: ${quoteBody(description)}` : ""}`;
  const code = /^AADSTS(\d+)/.exec(description)?.[1];
  if (code === "7000215" || code === "7000222") return { kind: "auth", reason: `Microsoft Entra ID refused the client secret (${said}); check DDNS_PROVIDER_API_TOKEN (or AZURE_CLIENT_SECRET): the secret's value, not its id, and not expired` };
  if (code === "700016") return { kind: "auth", reason: `Microsoft Entra ID does not know the application in that tenant (${said}); check DDNS_PROVIDER_API_KEY (or AZURE_CLIENT_ID) and DDNS_AZURE_TENANT_ID` };
  if (code === "90002" || code === "900023") return { kind: "config", reason: `Microsoft Entra ID does not know the tenant (${said}); check DDNS_AZURE_TENANT_ID (or AZURE_TENANT_ID)` };
  if (f.status === 400 || f.status === 401) return { kind: "auth", reason: `Microsoft Entra ID refused the client credentials (${said}); check DDNS_PROVIDER_API_KEY, DDNS_PROVIDER_API_TOKEN and DDNS_AZURE_TENANT_ID` };
  return { account: said };
}

/** `secrets` learns each token; the token endpoint's client does not: Entra ID may hand out a token it gave before. */
export function createAzureTokens(l: AzureLogin, deps: ProviderDeps, secrets: Pick<SecretSet, "learn">): { token(signal: AbortSignal): Promise<Answer<string>>; forget(): void } {
  const api = createRestApi(deps, { service: "Microsoft Entra ID", baseUrl: l.loginUrl, secrets: [l.secret, l.clientId], explain, secretVariable: "DDNS_PROVIDER_API_TOKEN", urlVariable: "DDNS_AZURE_LOGIN_URL" });
  let cached: { token: string; until: number } | undefined;
  return {
    async token(signal) {
      if (cached && deps.now() < cached.until) return ok(cached.token);
      const body = new URLSearchParams({ grant_type: "client_credentials", client_id: l.clientId, client_secret: l.secret, scope: "https://management.azure.com/.default" }).toString();
      const a = await api.call<{ access_token?: unknown; expires_in?: unknown }>("POST", `/${encodeURIComponent(l.tenant)}/oauth2/v2.0/token`, { body, headers: { "Content-Type": "application/x-www-form-urlencoded" }, write: false, signal });
      if (!a.ok) return a;
      const token = a.value?.access_token;
      if (typeof token !== "string" || token === "") return fail({ kind: "transient", reason: "Microsoft Entra ID answered without an access_token; if this persists, check DDNS_AZURE_LOGIN_URL" });
      secrets.learn(token);
      const life = Number(a.value?.expires_in ?? 3599);
      cached = { token, until: deps.now() + Math.max(0, (Number.isFinite(life) ? life : 3599) - 60) * 1000 };
      return ok(token);
    },
    forget: () => void (cached = undefined),
  };
}
