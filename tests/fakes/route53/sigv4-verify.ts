import { createHash, createHmac } from "node:crypto";

/**
 * AWS Signature Version 4 checked the way AWS checks it, computed here with node:crypto (independently of the
 * aws4fetch library ddnsd signs with), from "Create a signed AWS API request" and "Elements of an AWS API request
 * signature" (docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-*.html, read 2026-12-02):
 * canonical request = method, the path with each segment URI-encoded twice (every service but S3), the query sorted
 * and RFC 3986-encoded, the signed headers lower-cased, trimmed and sorted, the SignedHeaders list, the SHA-256 of
 * the payload; string to sign = AWS4-HMAC-SHA256, X-Amz-Date, the credential scope, the SHA-256 of the canonical
 * request; key = HMAC chain of "AWS4"+secret over date, region, service, "aws4_request".
 */
export type Verdict =
  | { ok: true; accessKeyId: string }
  | { ok: false; code: "MissingAuthenticationToken" | "IncompleteSignature" | "InvalidClientTokenId" | "SignatureDoesNotMatch"; message: string };

export interface SigningKey {
  secret: string;
  sessionToken?: string;
}

const sha256 = (data: string) => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest();
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export function signatureOf(secret: string, amzDate: string, scope: string, canonicalRequest: string): string {
  const [date, region, service] = scope.split("/");
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date!), region!), service!), "aws4_request");
  return createHmac("sha256", key).update(["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonicalRequest)].join("\n")).digest("hex");
}

export function canonicalRequest(req: Request, signedHeaders: string[], body: string): string {
  const url = new URL(req.url);
  const path = url.pathname.split("/").map((seg) => rfc3986(seg)).join("/");
  const query = url.search
    .slice(1)
    .split("&")
    .filter(Boolean)
    .map((pair) => pair.split("=").map((part) => rfc3986(decodeURIComponent(part.replace(/\+/g, " ")))) as [string, string?])
    .sort(([a, x = ""], [b, y = ""]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([k, v = ""]) => `${k}=${v}`)
    .join("&");
  const headers = signedHeaders.map((h) => `${h}:${(req.headers.get(h) ?? "").trim().replace(/\s+/g, " ")}\n`).join("");
  return [req.method, path, query, headers, signedHeaders.join(";"), sha256(body)].join("\n");
}

/** The verdict on one request: `keys` are the access keys the fake account has; `now` the fake's clock. */
export function verifySigV4(req: Request, body: string, keys: Record<string, SigningKey>, o: { region: string; service: string; now: number }): Verdict {
  const header = req.headers.get("authorization");
  if (!header) return { ok: false, code: "MissingAuthenticationToken", message: "Missing Authentication Token" };
  const m = /^AWS4-HMAC-SHA256 Credential=([^/\s]+)\/(\d{8}\/[^/]+\/[^/]+\/aws4_request),\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/.exec(header);
  if (!m) return { ok: false, code: "IncompleteSignature", message: `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization=${header.split(" ")[0]}` };
  const [, keyId, scope, signed, signature] = m as unknown as [string, string, string, string, string];
  const key = keys[keyId];
  if (!key) return { ok: false, code: "InvalidClientTokenId", message: "The security token included in the request is invalid." };
  if (key.sessionToken !== undefined && req.headers.get("x-amz-security-token") !== key.sessionToken) return { ok: false, code: "InvalidClientTokenId", message: "The security token included in the request is invalid." };
  const amzDate = req.headers.get("x-amz-date") ?? "";
  const signedHeaders = signed.split(";");
  if (!signedHeaders.includes("host") || !signedHeaders.includes("x-amz-date") || [...signedHeaders].sort().join(";") !== signed) return { ok: false, code: "SignatureDoesNotMatch", message: "'Host' and 'X-Amz-Date' must be signed, in sorted order." };
  const at = Date.parse(amzDate.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, "$1-$2-$3T$4:$5:$6Z"));
  if (!Number.isFinite(at) || Math.abs(o.now - at) > 5 * 60_000) return { ok: false, code: "SignatureDoesNotMatch", message: `Signature expired: ${amzDate} is now earlier or later than the 5 minutes around the server's time.` };
  if (scope !== `${amzDate.slice(0, 8)}/${o.region}/${o.service}/aws4_request`) return { ok: false, code: "SignatureDoesNotMatch", message: `Credential should be scoped to a valid region and service, and to the date of X-Amz-Date: ${scope}` };
  const expected = signatureOf(key.secret, amzDate, scope, canonicalRequest(req, signedHeaders, body));
  if (expected !== signature) return { ok: false, code: "SignatureDoesNotMatch", message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details." };
  return { ok: true, accessKeyId: keyId };
}
