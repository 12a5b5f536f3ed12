import { describe, expect, it } from "bun:test";
import { fromSocketPeer } from "../../src/update-server/client-address.ts";
import { createLoginGuard, requestLogin } from "../../src/update-server/login-guard.ts";
import { createStatusBoard } from "../../src/engine/status-board.ts";
import { createApp } from "../../src/http/app.ts";
import { LOCKED_BODY, UNAUTHORIZED_BODY } from "../../src/http/guarded-access.ts";
import { createMemoryLogger } from "../../src/log/logger.ts";
import { createDaemonMetrics } from "../../src/metrics/daemon-metrics.ts";

/** Push mode's access rule on the daemon's app (`app.request()`): who may read which answer. */
const PASSWORD = "status-pass-4455";
const GOOD = { Authorization: `Basic ${btoa(`router:${PASSWORD}`)}` };
const WRONG = { Authorization: `Basic ${btoa("router:guess")}` };
const CHALLENGE = 'Basic realm="ddnsd", charset="UTF-8"';

function setup() {
  let now = 1_700_000_000_000;
  const status = createStatusBoard({ version: "t", runtime: "bun", now: () => now, families: [4], records: [{ target: "cloudflare", name: "home.example.com", type: "A" }], staleAfterMs: 60_000 });
  const metrics = createDaemonMetrics({ version: "t", runtime: "bun", startTimeSeconds: 0, rss: () => 1 });
  const log = createMemoryLogger("debug", [PASSWORD]);
  const guard = createLoginGuard({ settings: { username: "router", password: PASSWORD, lockout: { count: 2, windowMs: 60_000 } }, log, now: () => now });
  const app = createApp({ status, metrics, version: "t", runtime: "bun", now: () => now, login: requestLogin(guard, fromSocketPeer) });
  const get = async (path: string, headers: Record<string, string> = {}, method = "GET") => {
    const res = await app.request(path, { headers, method }, { remoteAddress: "198.51.100.1" });
    return { status: res.status, body: await res.text(), challenge: res.headers.get("www-authenticate"), retry: res.headers.get("retry-after") };
  };
  return { get, status, log, advance: (ms: number) => void (now += ms) };
}

describe("push mode: answers that name records need the update credentials", () => {
  it.each([
    { name: "/healthz is open", path: "/healthz", headers: {}, status: 200, body: "ok", challenge: null },
    { name: "/readyz without credentials: the code, no names", path: "/readyz", headers: {}, status: 503, body: "not ready", challenge: null },
    { name: "/readyz with credentials: the reason", path: "/readyz", headers: GOOD, status: 503, body: "not confirmed: home.example.com A pending", challenge: null },
    { name: "/readyz with wrong credentials", path: "/readyz", headers: WRONG, status: 401, body: UNAUTHORIZED_BODY, challenge: CHALLENGE },
    { name: "/status without credentials", path: "/status", headers: {}, status: 401, body: UNAUTHORIZED_BODY, challenge: CHALLENGE },
    { name: "/metrics without credentials", path: "/metrics", headers: {}, status: 401, body: UNAUTHORIZED_BODY, challenge: CHALLENGE },
    { name: "the status page without credentials", path: "/", headers: {}, status: 401, body: UNAUTHORIZED_BODY, challenge: CHALLENGE },
    { name: "the status page with wrong credentials", path: "/", headers: WRONG, status: 401, body: UNAUTHORIZED_BODY, challenge: CHALLENGE },
    { name: "an unknown path without credentials", path: "/anything", headers: {}, status: 401, body: UNAUTHORIZED_BODY, challenge: CHALLENGE },
    { name: "an unknown path with credentials", path: "/anything", headers: GOOD, status: 404, body: "not found", challenge: null },
  ])("$name", async ({ path, headers, status, body, challenge }) => {
    const t = setup();
    const res = await t.get(path, headers);
    expect({ status: res.status, body: res.body, challenge: res.challenge }).toEqual({ status, body, challenge });
  });

  it("/status and /metrics with credentials", async () => {
    const t = setup();
    expect(JSON.parse((await t.get("/status", GOOD)).body).records[0].name).toBe("home.example.com");
    expect((await t.get("/metrics", GOOD)).body).toContain("ddns_build_info");
    expect((await t.get("/status", {}, "HEAD")).status).toBe(401);
    expect((await t.get("/", {}, "HEAD")).status).toBe(401);
  });

  it("the status page with credentials names the records", async () => {
    const t = setup();
    const page = await t.get("/", GOOD);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<tr data-record="home.example.com/A" data-target="cloudflare" data-state="pending">');
  });

  it("wrong logins lock the client out (429 + Retry-After); /readyz's bare code and /healthz stay", async () => {
    const t = setup();
    await t.get("/status", WRONG);
    await t.get("/metrics", WRONG);
    expect(await t.get("/status", GOOD)).toEqual({ status: 429, body: LOCKED_BODY, challenge: null, retry: "60" });
    expect((await t.get("/readyz")).status).toBe(503);
    expect((await t.get("/healthz")).status).toBe(200);
    expect(t.log.lines).toContain("WARN Update endpoint: locked out 198.51.100.1 for 1m after 2 failed logins client=198.51.100.1");
    t.advance(60_000);
    expect((await t.get("/status", GOOD)).status).toBe(200);
  });
});
