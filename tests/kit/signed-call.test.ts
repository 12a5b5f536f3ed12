import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { createRestApi } from "../../src/providers/kit/rest-api.ts";
import { createSignedCall, encodeRfc3986, queryString, type SignInput } from "../../src/providers/kit/signed-call.ts";

/** The signed-call helper: what the signer sees is byte for byte what goes on the wire. */
describe("signed calls", () => {
  let server: ReturnType<typeof Bun.serve>;
  const seen: Array<{ url: string; body: string; headers: Headers }> = [];
  beforeAll(() => {
    server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: async (req) => (seen.push({ url: req.url, body: await req.text(), headers: req.headers }), Response.json({ ok: true })) });
  });
  afterAll(() => server.stop(true));
  const deps = { fetch, now: Date.now, userAgent: "ddnsd-test", onRequest: () => {} };

  it.each([
    { name: "in the order given", sort: false, want: "b=2&a=x%20y" },
    { name: "sorted by name where the signature wants it", sort: true, want: "a=x%20y&b=2" },
  ])("serialises the query $name, RFC 3986 encoded", ({ sort, want }) => {
    expect(queryString({ b: 2, a: "x y", skipped: undefined }, sort)).toBe(want);
  });

  it("encodes the characters encodeURIComponent leaves alone", () => {
    expect(encodeRfc3986("a!b'c(d)e*f~g")).toBe("a%21b%27c%28d%29e%2Af~g");
  });

  it("signs the exact URL, query and body that the service receives, and sends the signer's headers", async () => {
    const base = `http://127.0.0.1:${server.port}/v1/`;
    const inputs: SignInput[] = [];
    const api = createRestApi(deps, { service: "Test", baseUrl: base, secrets: [] });
    const call = createSignedCall(api, base, (input) => (inputs.push(input), { "X-Sig": `${input.method} ${input.url} ${input.body}` }), { sortQuery: true });
    const answer = await call("POST", "/zones/1", { query: { z: "1", a: "two words" }, body: { name: "x" }, signal: AbortSignal.timeout(2_000) });
    expect(answer).toEqual({ ok: true, value: { ok: true } });
    const got = seen.at(-1)!;
    expect(inputs[0]).toEqual({ method: "POST", url: `http://127.0.0.1:${server.port}/v1/zones/1?a=two%20words&z=1`, path: "/zones/1", query: "a=two%20words&z=1", body: `{"name":"x"}` });
    expect({ url: got.url, body: got.body, sig: got.headers.get("x-sig"), type: got.headers.get("content-type") }).toEqual({ url: inputs[0]!.url, body: inputs[0]!.body, sig: `POST ${inputs[0]!.url} {"name":"x"}`, type: "application/json" });
  });
});
