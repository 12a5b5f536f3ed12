import { describe, expect, it } from "bun:test";
import { createHmac } from "node:crypto";
import {
  decodeSecret, signRequest, verifyResponse, type TsigKey,
} from "../../src/dns/tsig.ts";
import { layoutOf, readName, readU16, writeU16 } from "../../src/dns/wire.ts";
import { hex, TSIG_VECTORS, type TsigVector } from "./tsig-vectors.ts";

function keyOf(v: TsigVector, secret = v.secret): TsigKey {
  const decoded = decodeSecret(secret);
  if (!decoded) throw new Error("bad test secret");
  return { name: v.keyName, algorithm: v.algorithm, secret: decoded };
}

/** Splits a signed message into (message without TSIG, MAC, time signed), reading the TSIG record by hand. */
function unsign(signed: Uint8Array) {
  const layout = layoutOf(signed);
  const start = layout.additionals.at(-1) ?? 0;
  const rdata = readName(signed, readName(signed, start).next + 10).next;
  const time = readU16(signed, rdata) * 2 ** 32 + new DataView(signed.buffer).getUint32(rdata + 2);
  const macSize = readU16(signed, rdata + 8);
  const message = signed.slice(0, start);
  writeU16(message, 10, layout.counts.ar - 1);
  return { message, mac: signed.slice(rdata + 10, rdata + 10 + macSize), time, id: readU16(signed, 0) };
}

describe("TSIG against dig and named (captured known answers)", () => {
  it.each(TSIG_VECTORS.map((v) => ({ name: v.algorithm, v })))("signs like dig: $name", async ({ v }) => {
    const captured = hex(v.request);
    const { message, time } = unsign(captured);
    const signed = await signRequest(message, keyOf(v), time);
    expect(Buffer.from(signed.bytes).toString("hex")).toBe(v.request);
  });

  it.each(TSIG_VECTORS.map((v) => ({ name: v.algorithm, v })))("verifies named's answer: $name", async ({ v }) => {
    const request = unsign(hex(v.request));
    const check = await verifyResponse(hex(v.response), keyOf(v), request, request.time + 5);
    expect(check).toEqual({ status: "verified", error: 0 });
  });
});

describe("TSIG rejects what it must", () => {
  const v = TSIG_VECTORS[0] as TsigVector;
  const request = unsign(hex(v.request));
  const tampered = (at: number) => {
    const bytes = hex(v.response);
    bytes[at] = (bytes[at] ?? 0) ^ 0x01;
    return bytes;
  };
  it.each([
    { name: "a changed answer address", response: tampered(50), key: keyOf(v), now: request.time, reason: "MAC does not verify" },
    { name: "another secret", response: hex(v.response), key: keyOf(v, "b3RoZXIgc2VjcmV0"), now: request.time, reason: "MAC does not verify" },
    { name: "a clock skewed past the fudge", response: hex(v.response), key: keyOf(v), now: request.time + 301, reason: "signature time is outside the allowed clock skew" },
  ])("rejects $name", async ({ response, key, now, reason }) => {
    expect(await verifyResponse(response, key, request, now)).toEqual({ status: "invalid", reason });
  });

  it("reports an answer without TSIG as unsigned", async () => {
    const response = hex(v.response);
    const { message } = unsign(response);
    expect(await verifyResponse(message, keyOf(v), request, request.time)).toEqual({ status: "unsigned" });
  });

  it("reports an unsigned BADSIG answer (empty MAC) as a TSIG error", async () => {
    const { message } = unsign(hex(v.response));
    // The server's NOTAUTH answer to a request it could not verify: same TSIG, MAC size 0, error 16 (BADSIG).
    const fake = await signRequest(message, keyOf(v), request.time);
    const bytes = fake.bytes;
    const rdata = readName(bytes, readName(bytes, layoutOf(bytes).additionals.at(-1) ?? 0).next + 10).next;
    const macSize = readU16(bytes, rdata + 8);
    const stripped = new Uint8Array([...bytes.subarray(0, rdata + 8), 0, 0, ...bytes.subarray(rdata + 10 + macSize)]);
    writeU16(stripped, rdata + 12, 16);
    const rdlenAt = rdata - (1 + "hmac-sha256".length + 1) - 2;
    writeU16(stripped, rdlenAt, readU16(stripped, rdlenAt) - macSize);
    expect(await verifyResponse(stripped, keyOf(v), request, request.time)).toEqual({ status: "tsig-error", error: 16 });
  });
});

describe("TSIG digest layout (RFC 8945 §4.3.3), cross-checked with node:crypto", () => {
  it("matches an HMAC computed by hand over message + TSIG variables", async () => {
    const message = hex("123401000001000000000000076578616d706c650000060001"); // id 0x1234, "example. SOA"
    const key: TsigKey = { name: "k.test", algorithm: "hmac-sha256", secret: new TextEncoder().encode("secret") };
    const variables = hex(
      "016b04746573740000ff00000000" + // key name k.test., class ANY, TTL 0
        "0b686d61632d73686132353600" + // algorithm hmac-sha256.
        "00005f5e1000" + // time signed 1600000000 (48 bits)
        "012c00000000", // fudge 300, error 0, other len 0
    );
    const full = new Uint8Array([...message, ...variables]);
    const expected = createHmac("sha256", "secret").update(full).digest("hex");
    const signed = await signRequest(message, key, 1_600_000_000);
    expect(Buffer.from(signed.mac).toString("hex")).toBe(expected);
  });
});

describe("TSIG configuration values", () => {
  it.each([
    { name: "valid", text: "c2VjcmV0", ok: true },
    { name: "not base64", text: "not base64!", ok: false },
    { name: "empty", text: "", ok: false },
  ])("decodes the secret: $name", ({ text, ok }) => {
    expect(decodeSecret(text) !== undefined).toBe(ok);
  });
});
