import process from "node:process";
import { concatBytes, encodeName, layoutOf, readName, readU16, writeU16 } from "./wire.ts";

/**
 * TSIG (RFC 8945): signs a request and verifies the signed response, with WebCrypto HMAC so that the same code
 * runs on Bun and Deno; SHA-224, which WebCrypto lacks, goes through node:crypto (also on both). Pure: the caller
 * passes the clock. HMAC-MD5 (deprecated by RFC 8945) is not offered.
 */
const HASHES = {
  "hmac-sha1": { hash: "SHA-1", bytes: 20 },
  "hmac-sha224": { hash: "SHA-224", bytes: 28 },
  "hmac-sha256": { hash: "SHA-256", bytes: 32 },
  "hmac-sha384": { hash: "SHA-384", bytes: 48 },
  "hmac-sha512": { hash: "SHA-512", bytes: 64 },
} as const;

export type TsigAlgorithm = keyof typeof HASHES;
export const TSIG_ALGORITHMS = Object.keys(HASHES) as TsigAlgorithm[];

export const TSIG_TYPE = 250;
const CLASS_ANY = 255;
export const DEFAULT_FUDGE = 300;
/** TSIG error codes (RFC 8945 §3). */
export const TSIG_ERRORS: Record<number, string> = { 16: "BADSIG", 17: "BADKEY", 18: "BADTIME", 22: "BADTRUNC" };

export interface TsigKey {
  /** Key name as configured on the server (normalised, no trailing dot). */
  name: string;
  algorithm: TsigAlgorithm;
  secret: Uint8Array;
}

export interface SignedMessage {
  /** The message with its TSIG record appended. */
  bytes: Uint8Array;
  id: number;
  mac: Uint8Array;
}

export type TsigCheck =
  /** The MAC is right. `error` is the TSIG error field (0, or 18 BADTIME in a signed BADTIME answer). */
  | { status: "verified"; error: number }
  /** The answer carries no TSIG record at all. */
  | { status: "unsigned" }
  /** An unsigned error answer (empty MAC): the server could not verify our request (BADSIG, BADKEY). */
  | { status: "tsig-error"; error: number }
  /** A TSIG record is there but does not verify: forged, corrupted, or signed with another key. */
  | { status: "invalid"; reason: string };

function u16(value: number): Uint8Array {
  const out = new Uint8Array(2);
  writeU16(out, 0, value);
  return out;
}

function time48(seconds: number): Uint8Array {
  const out = new Uint8Array(6);
  writeU16(out, 0, Math.floor(seconds / 2 ** 32) & 0xffff);
  new DataView(out.buffer).setUint32(2, seconds >>> 0);
  return out;
}

/** The TSIG variables of RFC 8945 §4.3.3, in digest order. */
function variables(key: TsigKey, time: Uint8Array, fudge: number, error: number, other: Uint8Array): Uint8Array {
  const classTtl = Uint8Array.of(0, CLASS_ANY, 0, 0, 0, 0);
  const fixed = concatBytes(u16(fudge), u16(error), u16(other.length), other);
  return concatBytes(encodeName(key.name), classTtl, encodeName(key.algorithm), time, fixed);
}

async function hmac(key: TsigKey, data: Uint8Array): Promise<Uint8Array> {
  // node:crypto loads only for HMAC-SHA224 (WebCrypto lacks it): at startup it would cost every daemon ~1 MiB of RSS.
  if (key.algorithm === "hmac-sha224") return new Uint8Array(process.getBuiltinModule("node:crypto").createHmac("sha224", key.secret).update(data).digest());
  const algorithm = { name: "HMAC", hash: HASHES[key.algorithm].hash };
  const cryptoKey = await crypto.subtle.importKey("raw", new Uint8Array(key.secret), algorithm, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, new Uint8Array(data)));
}

/** Signs `message` (a complete DNS message without TSIG) as a request; `nowSeconds` is the signing time. */
export async function signRequest(message: Uint8Array, key: TsigKey, nowSeconds: number): Promise<SignedMessage> {
  const time = time48(Math.floor(nowSeconds));
  const mac = await hmac(key, concatBytes(message, variables(key, time, DEFAULT_FUDGE, 0, new Uint8Array())));
  const id = readU16(message, 0);
  const rdata = concatBytes(
    encodeName(key.algorithm), time, u16(DEFAULT_FUDGE), u16(mac.length), mac, u16(id), u16(0), u16(0),
  );
  const rr = concatBytes(encodeName(key.name), u16(TSIG_TYPE), u16(CLASS_ANY), new Uint8Array(4), u16(rdata.length), rdata);
  const bytes = concatBytes(message, rr);
  writeU16(bytes, 10, readU16(message, 10) + 1);
  return { bytes, id, mac };
}

function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/** Verifies the TSIG on `response` to the signed `request` (RFC 8945 §5.3). Never throws. */
export async function verifyResponse(
  response: Uint8Array, key: TsigKey, request: Pick<SignedMessage, "id" | "mac">, nowSeconds: number,
): Promise<TsigCheck> {
  try {
    return await verifyOrThrow(response, key, request, nowSeconds);
  } catch (error) {
    return { status: "invalid", reason: `malformed answer (${error instanceof Error ? error.message : String(error)})` };
  }
}

async function verifyOrThrow(
  response: Uint8Array, key: TsigKey, request: Pick<SignedMessage, "id" | "mac">, nowSeconds: number,
): Promise<TsigCheck> {
  const layout = layoutOf(response);
  const start = layout.additionals.at(-1);
  if (start === undefined) return { status: "unsigned" };
  const owner = readName(response, start);
  if (readU16(response, owner.next) !== TSIG_TYPE) return { status: "unsigned" };
  const alg = readName(response, owner.next + 10);
  let pos = alg.next;
  const time = response.slice(pos, pos + 6);
  const fudge = readU16(response, pos + 6);
  const macSize = readU16(response, pos + 8);
  const mac = response.slice(pos + 10, pos + 10 + macSize);
  pos += 10 + macSize;
  const originalId = readU16(response, pos);
  const error = readU16(response, pos + 2);
  const otherLength = readU16(response, pos + 4);
  if (pos + 6 + otherLength > response.length) throw new Error("TSIG other data runs past the end of the message");
  const other = response.slice(pos + 6, pos + 6 + otherLength);
  if (macSize === 0 && error !== 0) return { status: "tsig-error", error };
  if (owner.name !== key.name || alg.name !== key.algorithm) {
    return { status: "invalid", reason: `signed with another key (${JSON.stringify(owner.name)}, ${alg.name})` };
  }
  if (originalId !== request.id) return { status: "invalid", reason: "TSIG original id does not match the request" };
  const full = HASHES[key.algorithm].bytes;
  if (macSize > full || macSize < Math.max(10, full / 2)) return { status: "invalid", reason: "MAC has a wrong size" };

  const unsigned = response.slice(0, start);
  writeU16(unsigned, 0, originalId);
  writeU16(unsigned, 10, layout.counts.ar - 1);
  const digest = concatBytes(u16(request.mac.length), request.mac, unsigned, variables(key, time, fudge, error, other));
  const expected = (await hmac(key, digest)).subarray(0, macSize);
  if (!constantTimeEqual(expected, mac)) return { status: "invalid", reason: "MAC does not verify" };
  const signedAt = readU16(time, 0) * 2 ** 32 + new DataView(time.buffer).getUint32(2);
  if (error === 0 && Math.abs(nowSeconds - signedAt) > fudge) {
    return { status: "invalid", reason: "signature time is outside the allowed clock skew" };
  }
  return { status: "verified", error };
}

/** Decodes a base64 TSIG secret; undefined when it is not base64 or empty. */
export function decodeSecret(base64: string): Uint8Array | undefined {
  const text = base64.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 === 1) return undefined;
  try {
    const binary = atob(text);
    return binary.length > 0 ? Uint8Array.from(binary, (c) => c.charCodeAt(0)) : undefined;
  } catch {
    return undefined;
  }
}
