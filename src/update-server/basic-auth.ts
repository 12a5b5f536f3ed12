/**
 * HTTP Basic credentials for the update endpoint (RFC 7617). The check hashes both sides with SHA-256 and compares
 * the fixed-length digests without an early exit, so that neither the length nor the first differing byte of the
 * username or the password shows in the answer's timing. Web Crypto only: the same code runs in Bun, Deno and
 * workerd.
 */

export type Credentials = { username: string; password: string };

/** What an `Authorization` header holds: nothing (send the challenge), unusable text, or credentials. */
export type ParsedAuthorization = { kind: "missing" } | { kind: "malformed" } | { kind: "basic"; credentials: Credentials };

export function parseAuthorization(header: string | null | undefined): ParsedAuthorization {
  if (header === null || header === undefined || header.trim() === "") return { kind: "missing" };
  const m = /^\s*basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header);
  if (!m) return { kind: "malformed" };
  let text: string;
  try {
    const bytes = Uint8Array.from(atob(m[1]!), (c) => c.charCodeAt(0));
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return { kind: "malformed" };
  }
  const colon = text.indexOf(":");
  if (colon < 0) return { kind: "malformed" };
  return { kind: "basic", credentials: { username: text.slice(0, colon), password: text.slice(colon + 1) } };
}

const encoder = new TextEncoder();

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

/** Bitwise difference of two equal-length digests: 0 when equal. Runs over every byte. */
function difference(a: Uint8Array, b: Uint8Array): number {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ (b[i] ?? 0);
  return diff;
}

export interface CredentialCheck {
  verify(given: Credentials): Promise<boolean>;
}

/** Digests the expected credentials once; each check then costs two digests and one full comparison. */
export function createCredentialCheck(expected: Credentials): CredentialCheck {
  const wanted = Promise.all([digest(expected.username), digest(expected.password)]);
  return {
    async verify(given) {
      const [user, pass] = await wanted;
      const [u, p] = await Promise.all([digest(given.username), digest(given.password)]);
      // Both compared, always; `|` not `||`, so the password is checked even when the username is wrong.
      return (difference(user, u) | difference(pass, p)) === 0;
    },
  };
}
