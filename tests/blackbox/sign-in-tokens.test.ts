import { afterAll, afterEach, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { generateKeyPairSync } from "node:crypto";
import { startIpEcho, type IpEchoServer } from "../fakes/ip-echo.ts";
import { bearerTokensSent, leakedPieces } from "../fakes/kit/sent-credentials.ts";
import { startFakeTransip, type FakeTransip } from "../fakes/transip/fake-transip.ts";
import { assertNoSecretLeaked, fetchChecked, spawnDaemon, type Daemon } from "./harness.ts";
import { freePort, until } from "./world.ts";

/**
 * A token ddnsd obtains at run time — TransIP's session JWT, bought with the signed sign-in — is as secret as the key
 * that bought it: a service that echoes the request's Authorization header in an error must not get it into the
 * daemon's log, /status or the status page. The fake quotes the header in every answer to the zone listing.
 */
setDefaultTimeout(60_000);
const LOGIN = "ddnsdtest";
const KEY = generateKeyPairSync("rsa", { modulusLength: 2048 });
const PEM = KEY.privateKey.export({ type: "pkcs8", format: "pem" }).toString();

let fake: FakeTransip;
let ip: IpEchoServer;
const running: Daemon[] = [];
beforeAll(async () => {
  fake = await startFakeTransip({ accounts: { [LOGIN]: { publicKey: KEY.publicKey } }, zones: ["example.com"] });
  ip = startIpEcho({ v4: "203.0.113.7" });
});
afterEach(() => running.splice(0).forEach((d) => d.kill("SIGKILL")));
afterAll(async () => {
  await fake.stop();
  await ip.stop();
  assertNoSecretLeaked();
});

describe("dist/ddnsd with a sign-in token a service echoes back", () => {
  it("shows [REDACTED] in the log line, /status and the status page, never the token or a piece of it", async () => {
    fake.fault({ kind: "status", status: 500, method: "GET", path: "/domains", echo: "authorization", message: "Internal error", probability: 1 });
    const port = await freePort();
    const d = spawnDaemon([], {
      DDNS_PROVIDER_TYPE: "transip", DDNS_PROVIDER_API_TOKEN: PEM, DDNS_TRANSIP_LOGIN: LOGIN, DDNS_PROVIDER_API_URL: fake.url,
      DDNS_RECORDS: "home.example.com", DDNS_IP_VERSIONS: "4", DDNS_IP_SOURCE_URLS_V4: `${ip.url}/v4`, DDNS_HTTP_ADDR: `127.0.0.1:${port}`,
    }, [PEM.split("\n")[5]!]);
    running.push(d);
    const line = await d.waitForLine("WARN Could not update A record home.example.com");
    expect(line).toBe('WARN Could not update A record home.example.com to 203.0.113.7: while looking up the zone, TransIP failed (HTTP 500: "Internal error (the request was: Bearer [REDACTED])"); next attempt in 1s kind=transient attempt=1');
    const status = await until(() => fetchChecked(`http://127.0.0.1:${port}/status`), (r) => r.body.includes("[REDACTED]"));
    const page = await fetchChecked(`http://127.0.0.1:${port}/`);
    const tokens = bearerTokensSent(fake.requests);
    expect(tokens.length).toBeGreaterThan(0);
    expect(leakedPieces([...d.lines, status.body, page.body].join("\n"), tokens)).toEqual([]);
  });
});
