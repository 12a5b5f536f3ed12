import { fail, ok, type Answer, type Problem } from "../kit/answer.ts";
import type { RestApi } from "../kit/rest-api.ts";
import type { SecretSet } from "../kit/secret-set.ts";

/**
 * TransIP's sign-in (api.transip.nl/rest/docs.html#header-authentication): `POST /auth` with `{login, nonce,
 * read_only, expiration_time, label, global_key}`, the exact body signed with the account's API private key
 * (RSASSA-PKCS1-v1_5, SHA-512, base64) in the `Signature` header, answers `{"token": "<JWT>"}`. The JWT is kept
 * until a minute before its `exp`. WebCrypto signs (Bun, Deno and Workers have it); it takes PKCS#8 keys, so a
 * PKCS#1 key (`BEGIN RSA PRIVATE KEY`, TransIP's older downloads) is wrapped into PKCS#8 first. Each token joins
 * `secrets`, the provider's redaction set, the moment it arrives.
 */
export interface TransipSignIn {
  login: string;
  pem: string;
  whitelistedOnly: boolean;
}

type Bytes = Uint8Array<ArrayBuffer>;
const der = (tag: number, body: Bytes): Bytes => {
  const n = body.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return new Uint8Array([tag, ...len, ...body]);
};
/** version 0, AlgorithmIdentifier rsaEncryption with NULL parameters. */
const PKCS8_HEAD = new Uint8Array([0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00]);

function pkcs8Of(pem: string): Bytes | undefined {
  const m = /-----BEGIN (RSA )?PRIVATE KEY-----([A-Za-z0-9+/=\s]+)-----END (RSA )?PRIVATE KEY-----/.exec(pem);
  if (!m) return undefined;
  const bytes = Uint8Array.from(atob(m[2]!.replace(/\s+/g, "")), (c) => c.charCodeAt(0));
  return m[1] ? der(0x30, new Uint8Array([...PKCS8_HEAD, ...der(0x04, bytes)])) : bytes;
}

const base64 = (bytes: ArrayBuffer) => btoa(Array.from(new Uint8Array(bytes), (b) => String.fromCharCode(b)).join(""));
const KEY_FIX = "DDNS_PROVIDER_API_TOKEN_FILE must hold the private key of a TransIP API key pair (Control panel → Account → API), in PEM and not encrypted";

export function createTransipSignIn(api: RestApi, s: TransipSignIn, now: () => number, random: () => number, secrets: Pick<SecretSet, "learn">) {
  let key: Promise<CryptoKey | undefined> | undefined;
  let held: { token: string; until: number } | undefined;
  const signingKey = () =>
    (key ??= (async () => {
      const bytes = pkcs8Of(s.pem);
      if (!bytes) return undefined;
      return crypto.subtle.importKey("pkcs8", bytes, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-512" }, false, ["sign"]).catch(() => undefined);
    })());
  const nonce = () => Array.from({ length: 16 }, () => Math.floor(random() * 16).toString(16)).join("");

  async function signIn(signal: AbortSignal): Promise<Answer<string>> {
    const k = await signingKey();
    if (!k) return fail({ kind: "auth", reason: `ddnsd could not use the private key; ${KEY_FIX}` });
    const n = nonce();
    const body = JSON.stringify({ login: s.login, nonce: n, read_only: false, expiration_time: "30 minutes", label: `ddnsd-${n}`, global_key: !s.whitelistedOnly });
    const signature = base64(await crypto.subtle.sign("RSASSA-PKCS1-v1_5", k, new TextEncoder().encode(body)));
    const answer = await api.call<{ token?: unknown }>("POST", "/auth", { body, headers: { "Content-Type": "application/json", Signature: signature }, signal, write: false });
    if (!answer.ok) return answer;
    const token = answer.value?.token;
    if (typeof token !== "string") return fail({ kind: "transient", reason: "TransIP's sign-in answer holds no token; if this persists, check DDNS_PROVIDER_API_URL" });
    secrets.learn(token);
    held = { token, until: expiry(token) ?? now() + 25 * 60_000 };
    return ok(token);
  }

  function expiry(jwt: string): number | undefined {
    try {
      const payload = JSON.parse(atob(jwt.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))) as { exp?: unknown };
      return typeof payload.exp === "number" ? payload.exp * 1000 - 60_000 : undefined;
    } catch {
      return undefined;
    }
  }

  return {
    /** A token that is good for at least a minute more. */
    token: async (signal: AbortSignal): Promise<Answer<string>> => (held && held.until > now() ? ok(held.token) : signIn(signal)),
    /** The service no longer takes the token (revoked, expired early): the next call signs in again. */
    forget: () => void (held = undefined),
  };
}

/** The sign-in's refusals in words that say what to fix. */
export function signInProblem(status: number | undefined, said: string): Partial<Problem> | undefined {
  if (status === 401) return { kind: "auth", reason: `TransIP refused the signed sign-in (${said}); check DDNS_TRANSIP_LOGIN (the account name) and that ${KEY_FIX}` };
  if (status === 403) return { kind: "auth", reason: `TransIP refused the sign-in from this address (${said}); add this host's IP address to the key's whitelist, or use a key that is not whitelist-only (DDNS_TRANSIP_WHITELISTED_ONLY)` };
  return undefined;
}
