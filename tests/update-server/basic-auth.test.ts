import { describe, expect, it } from "bun:test";
import { createCredentialCheck, parseAuthorization } from "../../src/update-server/basic-auth.ts";

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

describe("parseAuthorization", () => {
  it.each([
    { name: "no header", header: null, expected: { kind: "missing" } },
    { name: "empty header", header: "  ", expected: { kind: "missing" } },
    { name: "plain credentials", header: `Basic ${b64("router:s3cret-pass")}`, expected: { kind: "basic", credentials: { username: "router", password: "s3cret-pass" } } },
    { name: "scheme in any case", header: `bAsIc ${b64("router:x")}`, expected: { kind: "basic", credentials: { username: "router", password: "x" } } },
    { name: "colon inside the password", header: `Basic ${b64("router:a:b:c")}`, expected: { kind: "basic", credentials: { username: "router", password: "a:b:c" } } },
    { name: "UTF-8 password", header: `Basic ${b64("router:pässwört")}`, expected: { kind: "basic", credentials: { username: "router", password: "pässwört" } } },
    { name: "empty password", header: `Basic ${b64("router:")}`, expected: { kind: "basic", credentials: { username: "router", password: "" } } },
    { name: "no colon", header: `Basic ${b64("routerpass")}`, expected: { kind: "malformed" } },
    { name: "bearer scheme", header: "Bearer abc.def", expected: { kind: "malformed" } },
    { name: "not base64", header: "Basic ***", expected: { kind: "malformed" } },
    { name: "invalid UTF-8", header: `Basic ${Buffer.from([0x72, 0x3a, 0xff, 0xfe]).toString("base64")}`, expected: { kind: "malformed" } },
  ])("$name", ({ header, expected }) => {
    expect(parseAuthorization(header)).toEqual(expected as never);
  });
});

describe("createCredentialCheck", () => {
  const check = createCredentialCheck({ username: "router", password: "correct horse" });
  it.each([
    { name: "both right", username: "router", password: "correct horse", ok: true },
    { name: "wrong password", username: "router", password: "correct horsf", ok: false },
    { name: "password prefix", username: "router", password: "correct", ok: false },
    { name: "password longer", username: "router", password: "correct horse!", ok: false },
    { name: "wrong username", username: "Router", password: "correct horse", ok: false },
    { name: "fields swapped", username: "correct horse", password: "router", ok: false },
    { name: "both empty", username: "", password: "", ok: false },
  ])("$name → $ok", async ({ username, password, ok }) => {
    expect(await check.verify({ username, password })).toBe(ok);
  });
});
