import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { generateKeyPairSync, sign } from "node:crypto";
import { startFakeTransip, type FakeTransip } from "./transip/fake-transip.ts";

/** The TransIP fake is as strict as its header says: signed sign-in, one-time nonces, Bearer tokens, strict entries. */
const KEY = generateKeyPairSync("rsa", { modulusLength: 2048 });
const OTHER = generateKeyPairSync("rsa", { modulusLength: 2048 });
let fake: FakeTransip;
beforeAll(async () => {
  fake = await startFakeTransip({ accounts: { me: { publicKey: KEY.publicKey } }, zones: ["example.com"] });
});
afterAll(() => fake.stop());

const authBody = (nonce: string, more: Record<string, unknown> = {}) => JSON.stringify({ login: "me", nonce, read_only: false, expiration_time: "30 minutes", label: "t", global_key: true, ...more });
async function signIn(body: string, key = KEY.privateKey) {
  const signature = sign("sha512", Buffer.from(body), key).toString("base64");
  const r = await fetch(`${fake.url}/auth`, { method: "POST", headers: { "Content-Type": "application/json", Signature: signature }, body });
  return { status: r.status, json: (await r.json()) as any };
}
async function call(method: string, path: string, token: string, body?: unknown) {
  const r = await fetch(`${fake.url}${path}`, { method, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { status: r.status, text: await r.text() };
}
const entry = (more: Record<string, unknown> = {}) => ({ dnsEntry: { name: "www", expire: 300, type: "A", content: "192.0.2.1", ...more } });

describe("the TransIP fake", () => {
  it.each([
    { name: "a signature by another key", body: authBody("a1"), key: OTHER.privateKey, status: 401 },
    { name: "an unknown field", body: authBody("a2", { extra: 1 }), key: KEY.privateKey, status: 400 },
    { name: "an invalid expiration_time", body: authBody("a3", { expiration_time: "soon" }), key: KEY.privateKey, status: 400 },
  ])("refuses a sign-in with $name", async ({ body, key, status }) => {
    expect(await signIn(body, key)).toMatchObject({ status, json: { error: expect.any(String) } });
  });

  it("issues a token once per nonce, and takes entries only with it", async () => {
    const first = await signIn(authBody("b1"));
    expect(first.status).toBe(201);
    expect((await signIn(authBody("b1"))).status).toBe(401);
    const token = first.json.token as string;
    expect((await call("GET", "/domains", "wrong")).status).toBe(401);
    expect((await call("POST", "/domains/example.com/dns", token, entry({ expire: 30 }))).status).toBe(406);
    expect((await call("POST", "/domains/example.com/dns", token, entry({ comment: "x" }))).status).toBe(400);
    expect((await call("POST", "/domains/example.com/dns", token, entry())).status).toBe(201);
    expect((await call("POST", "/domains/example.com/dns", token, entry())).status).toBe(409);
    expect((await call("PATCH", "/domains/example.com/dns", token, entry({ content: "192.0.2.2" }))).status).toBe(204);
    expect(fake.read("www.example.com", "A")).toEqual(["192.0.2.2"]);
    expect((await call("DELETE", "/domains/example.com/dns", token, entry())).status).toBe(404);
    expect((await call("DELETE", "/domains/example.com/dns", token, entry({ content: "192.0.2.2" }))).status).toBe(204);
    expect((await call("GET", "/domains/example.org/dns", token)).status).toBe(404);
    fake.revokeTokens();
    expect((await call("GET", "/domains", token)).status).toBe(401);
  });
});
