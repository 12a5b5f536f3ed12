import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { createRestApi } from "../../src/providers/kit/rest-api.ts";
import { createSecretSet, LEARNED_KEPT } from "../../src/providers/kit/secret-set.ts";
import { json, startFakeService, type FakeService } from "../fakes/kit/fake-service.ts";

/**
 * A token learned at run time (a sign-in's JWT, an OAuth access token, a session id) joins the redaction set of the
 * provider's clients: a service that echoes it back in an error body shows `[REDACTED]`, in every client the set is
 * given to, whether the client was made before or after the token was learned.
 */
const KEY = "configured-key-0011223344";
const TOKEN = "eyJhbGciOiJSUzUxMiJ9.eyJqdGkiOiJzaWduLWluIn0.learned-signature-5566";
let fake: FakeService;

beforeAll(async () => {
  fake = await startFakeService({
    name: "Echo API",
    basePath: "/v1",
    // The careless service: every refusal quotes the Authorization header it was sent.
    auth: (req) => json(401, { error: `token not accepted: ${req.headers.get("authorization")}` }),
    error: (status, message) => json(status, { error: message }),
    routes: [],
  });
});
afterAll(() => fake.stop());

const deps = { fetch, now: Date.now, userAgent: "ddnsd-test", onRequest: () => {} };
const signal = () => AbortSignal.timeout(3000);
const refusal = async (api: ReturnType<typeof createRestApi>, token: string) => {
  const answer = await api.call("GET", "/zones", { signal: signal(), headers: { Authorization: `Bearer ${token}` } });
  if (answer.ok) throw new Error("the echo service accepted a token");
  return answer.problem.reason;
};

describe("a secret learned at run time", () => {
  it("is redacted from a service's echo once learned, and only then", async () => {
    const secrets = createSecretSet([KEY]);
    const api = createRestApi(deps, { service: "Echo", baseUrl: fake.url, secrets });
    expect(await refusal(api, TOKEN)).toContain(TOKEN);
    secrets.learn(TOKEN);
    expect(await refusal(api, TOKEN)).toBe('Echo refused the credentials (HTTP 401: "{\\"error\\":\\"token not accepted: Bearer [REDACTED]\\"}"); check DDNS_PROVIDER_API_TOKEN');
  });

  it("is redacted by every client the set is given to, made before or after the token was learned", async () => {
    const secrets = createSecretSet([KEY]);
    const before = createRestApi(deps, { service: "Echo zones", baseUrl: fake.url, secrets });
    secrets.learn(TOKEN);
    const dns = createRestApi(deps, { service: "Echo DNS", baseUrl: fake.url, secrets });
    for (const api of [before, dns]) {
      const reason = await refusal(api, TOKEN);
      expect(reason).toContain("Bearer [REDACTED]");
      expect(reason).not.toContain("learned-signature");
    }
    expect(dns.redact(`a ${KEY} and ${encodeURIComponent(TOKEN)}`)).toBe("a [REDACTED] and [REDACTED]");
  });

  it.each([
    { name: "a configured secret stays redacted however many are learned", probe: KEY, redacted: true },
    { name: `the last ${LEARNED_KEPT} learned tokens stay redacted`, probe: `rotated-token-${100 - LEARNED_KEPT + 1}`, redacted: true },
    { name: "an older learned token is let go (the set does not grow for ever)", probe: `rotated-token-${100 - LEARNED_KEPT}`, redacted: false },
  ])("$name", ({ probe, redacted }) => {
    const secrets = createSecretSet([KEY]);
    for (let i = 1; i <= 100; i++) secrets.learn(`rotated-token-${i}`);
    expect(secrets.redact(`x ${probe} y`)).toBe(redacted ? "x [REDACTED] y" : `x ${probe} y`);
  });
});
