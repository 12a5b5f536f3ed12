import { createHash, createHmac } from "node:crypto";
import { encodeRfc3986 } from "../kit/signed-call.ts";

/**
 * Huawei Cloud's AK/SK signature SDK-HMAC-SHA256 (support.huaweicloud.com, API Gateway "AK/SK signing and
 * authentication"), as its official signers (huaweicloud-sdk-go-v3 core/auth/signer) compute it: the canonical
 * request — method, the escaped path with a trailing "/", the sorted query, the signed headers in lower case — hashed,
 * then HMAC-SHA256 with the SK. Written with node:crypto: Huawei publishes no small signing package for JavaScript.
 */
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

export interface SdkSignInput {
  accessKey: string;
  secretKey: string;
  method: string;
  url: string;
  body: string;
  /** Headers to sign besides host and X-Sdk-Date (content-type, x-project-id), lower-case names. */
  headers: Record<string, string>;
  now: number;
}

/** `20261202T132801Z` */
export const sdkDate = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");

export function sdkSign(i: SdkSignInput): Record<string, string> {
  const url = new URL(i.url);
  const date = sdkDate(i.now);
  const all: Record<string, string> = { ...i.headers, host: url.host, "x-sdk-date": date };
  const names = Object.keys(all).map((n) => n.toLowerCase()).sort();
  const path = url.pathname.split("/").map((seg) => encodeRfc3986(decodeURIComponent(seg))).join("/");
  const pairs = [...url.searchParams].map(([k, v]) => [encodeRfc3986(k), encodeRfc3986(v)] as const);
  const query = pairs.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0)).map(([k, v]) => `${k}=${v}`).join("&");
  const canonical = [i.method, path.endsWith("/") ? path : `${path}/`, query, names.map((n) => `${n}:${(all[n] ?? "").trim()}\n`).join(""), names.join(";"), sha256(i.body)].join("\n");
  const signature = createHmac("sha256", i.secretKey).update(`SDK-HMAC-SHA256\n${date}\n${sha256(canonical)}`).digest("hex");
  return { "X-Sdk-Date": date, Authorization: `SDK-HMAC-SHA256 Access=${i.accessKey}, SignedHeaders=${names.join(";")}, Signature=${signature}` };
}
