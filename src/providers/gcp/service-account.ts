import { importPKCS8, SignJWT } from "jose";
import * as values from "../../core/values.ts";
import { fail, ok, type Answer } from "../kit/answer.ts";
import { quoteBody } from "../kit/explain-failure.ts";
import type { HttpFailure } from "../kit/http-types.ts";
import { createRestApi, type ServiceReading } from "../kit/rest-api.ts";
import type { SecretSet } from "../kit/secret-set.ts";
import type { ProviderDeps } from "../kit/types.ts";

/**
 * A Google service-account key (the JSON file the console downloads) and the access tokens it buys: a JWT signed
 * RS256 with the key (jose: small, maintained, WebCrypto only, so it runs on Bun, Deno and Workers) is exchanged at
 * the key's `token_uri` for a Bearer token (OAuth 2.0 JWT-bearer grant, RFC 7523), which is kept until a minute
 * before it expires; each token joins the Cloud DNS client's redaction set (`secrets`) as it arrives. Source:
 * developers.google.com/identity/protocols/oauth2/service-account ("Preparing to make an authorized API call",
 * "Addressing the JWT", "Handling the response"), read 2026-12-02.
 */
export interface ServiceAccountKey { client_email: string; private_key: string; private_key_id?: string; project_id?: string; token_uri: string }

const SCOPE = "https://www.googleapis.com/auth/ndev.clouddns.readwrite";
const VARIABLE = "DDNS_PROVIDER_API_TOKEN";

/** The key file's text, checked at configuration time (a whole JSON document: white space is allowed). */
export const serviceAccountKey = values.fromParser<string>((raw) => {
  let key: Partial<Record<keyof ServiceAccountKey | "type", unknown>>;
  try {
    key = JSON.parse(raw) as typeof key;
  } catch {
    return { ok: false, reason: "is not JSON; give the service-account key file the Google Cloud console downloads (DDNS_PROVIDER_API_TOKEN_FILE)" };
  }
  if (key.type !== "service_account") return { ok: false, reason: `holds no service-account key ("type" is not "service_account"); create a key under IAM → Service accounts → Keys` };
  for (const field of ["client_email", "private_key"] as const) if (typeof key[field] !== "string" || key[field] === "") return { ok: false, reason: `is a service-account key without "${field}"; download the key again` };
  if (!String(key.private_key).includes("-----BEGIN PRIVATE KEY-----")) return { ok: false, reason: `has a "private_key" that is not a PKCS #8 PEM key; download the key again` };
  return { ok: true, value: raw };
});

export function readKey(raw: string): ServiceAccountKey {
  const k = JSON.parse(raw) as Partial<ServiceAccountKey>;
  return { client_email: k.client_email!, private_key: k.private_key!, token_uri: k.token_uri ?? "https://oauth2.googleapis.com/token", ...(k.private_key_id ? { private_key_id: k.private_key_id } : {}), ...(k.project_id ? { project_id: k.project_id } : {}) };
}

/** Google's OAuth errors: `{"error": "invalid_grant", "error_description": "…"}`. */
function explainGrant(f: HttpFailure): ServiceReading | undefined {
  const e = f.json as { error?: unknown; error_description?: unknown } | undefined;
  if (f.reason !== "http" || typeof e?.error !== "string") return undefined;
  const said = `HTTP ${f.status} ${JSON.stringify(e.error)}${typeof e.error_description === "string" ? `: ${quoteBody(e.error_description)}` : ""}`;
  if (f.status === 400 || f.status === 401) return { kind: "auth", reason: `Google refused the service-account key (${said}); check ${VARIABLE}: a current key of an existing, enabled service account, and that the system clock is right` };
  return { account: said };
}

export type TokenSource = (signal: AbortSignal) => Promise<Answer<string>>;

/** The secrets of a key: what the provider's redaction set starts with. */
export const keySecrets = (key: ServiceAccountKey) => [key.private_key, ...(key.private_key_id ? [key.private_key_id] : [])];

/** `secrets` learns each token; the grant's own client does not (an answer with a token it knew would be redacted). */
export function createTokenSource(key: ServiceAccountKey, deps: ProviderDeps, secrets: Pick<SecretSet, "learn">): { token: TokenSource; forget(): void } {
  const url = new URL(key.token_uri);
  const api = createRestApi(deps, { service: "Google OAuth", baseUrl: url.origin, secrets: keySecrets(key), explain: explainGrant, secretVariable: VARIABLE });
  let cached: { token: string; until: number } | undefined;
  // The type jose gives (Bun's and Deno's CryptoKey types differ; the value is the runtime's own).
  let signing: ReturnType<typeof importPKCS8> | undefined;

  async function assertion(): Promise<string> {
    const signingKey = (signing ??= importPKCS8(key.private_key, "RS256"));
    const iat = Math.floor(deps.now() / 1000);
    return new SignJWT({ scope: SCOPE })
      .setProtectedHeader({ alg: "RS256", typ: "JWT", ...(key.private_key_id ? { kid: key.private_key_id } : {}) })
      .setIssuer(key.client_email).setAudience(key.token_uri).setIssuedAt(iat).setExpirationTime(iat + 3600)
      .sign(await signingKey);
  }

  return {
    async token(signal) {
      if (cached && deps.now() < cached.until) return ok(cached.token);
      let jwt: string;
      try {
        jwt = await assertion();
      } catch {
        return fail({ kind: "config", reason: `the service-account key's "private_key" cannot sign (not an RSA key); check ${VARIABLE}` });
      }
      const body = new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion: jwt }).toString();
      const a = await api.call<{ access_token?: unknown; expires_in?: unknown }>("POST", url.pathname, { body, headers: { "Content-Type": "application/x-www-form-urlencoded" }, write: false, signal });
      if (!a.ok) return a;
      const token = a.value?.access_token;
      if (typeof token !== "string" || token === "") return fail({ kind: "transient", reason: "Google's token endpoint answered without an access_token; if this persists, check the key's token_uri" });
      secrets.learn(token);
      const life = typeof a.value?.expires_in === "number" ? a.value.expires_in : 3600;
      cached = { token, until: deps.now() + Math.max(0, life - 60) * 1000 };
      return ok(token);
    },
    forget: () => void (cached = undefined),
  };
}
