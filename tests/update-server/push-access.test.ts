import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { assertNoSecretLeaked, fetchChecked } from "../blackbox/harness.ts";
import { startFakeCloudflare, type FakeCloudflare } from "../fakes/cloudflare/fake-cloudflare.ts";
import { AUTH, basic, startPushDaemon, TOKEN, USER } from "./push-daemon.ts";

/**
 * `dist/ddnsd` in push mode, attacked from outside: parallel password guessing against /nic/update, the status
 * answers read without credentials, and the per-update rate limit dodged by rotating `hostname=`.
 */
let cf: FakeCloudflare;
beforeAll(async () => {
  cf = await startFakeCloudflare({ token: TOKEN, zones: ["example.com"] });
});
afterAll(async () => {
  await cf.stop();
  assertNoSecretLeaked();
});

const tally = (answers: string[]) => answers.reduce<Record<string, number>>((t, a) => ({ ...t, [a]: (t[a] ?? 0) + 1 }), {});
const get = async (url: string, headers: Record<string, string> = {}) => {
  const res = await fetch(url, { headers });
  return { status: res.status, body: (await res.text()).trim() };
};

describe("300 parallel wrong logins against dist/ddnsd (DDNS_UPDATE_LOCKOUT=3/10m)", () => {
  it("at most 3 are checked, the right password is then locked out, and the log does not flood", async () => {
    const d = await startPushDaemon(cf.url);
    try {
      const url = `${d.base}/nic/update?hostname=home.example.com&myip=203.0.113.7`;
      const answers = await Promise.all(Array.from({ length: 300 }, (_, i) => get(url, basic(USER, `guess-${i}`)).then((a) => a.body)));
      expect(tally(answers)).toEqual({ badauth: 3, abuse: 297 });
      expect(await get(url, AUTH)).toEqual({ status: 200, body: "abuse" });
      expect(cf.contents("home.example.com", "A")).toEqual([]);
      await d.daemon.waitForLine("Update endpoint: locked out 127.0.0.1 for 10m after 3 failed logins");
      const about = d.daemon.lines.filter((l) => l.includes("Update endpoint:") && l.includes("127.0.0.1"));
      expect(about.map((l) => l.replace(/^.*?Update endpoint: /, "").replace(/ client=.*$/, ""))).toEqual([
        "refused a login from 127.0.0.1: wrong credentials (failure 1 of 3 before a 10m lockout; repeats are counted, not logged)",
        "locked out 127.0.0.1 for 10m after 3 failed logins",
      ]);
    } finally {
      expect(await d.stop()).toBe(0);
    }
  }, 30_000);
});

describe("push mode: names and addresses only with the update credentials", () => {
  it("/status, /metrics and the /readyz reason need them; /healthz and the /readyz code do not; one lockout for all", async () => {
    const d = await startPushDaemon(cf.url, { DDNS_IP_VERSIONS: "4" });
    const secretish = /example\.com|203\.0\.113/;
    try {
      expect(await get(`${d.base}/readyz`)).toEqual({ status: 503, body: "not ready" });
      const reason = await fetchChecked(`${d.base}/readyz`, { headers: AUTH });
      expect({ status: reason.status, body: reason.body.trim() }).toEqual({ status: 503, body: "not confirmed: home.example.com A, www.example.com A pending" });
      expect(await get(`${d.base}/nic/update?hostname=home.example.com&myip=203.0.113.7`, AUTH)).toEqual({ status: 200, body: "good 203.0.113.7" });
      expect(await get(`${d.base}/readyz`)).toEqual({ status: 200, body: "ok" });

      const status = await fetchChecked(`${d.base}/status`, { headers: AUTH });
      expect(status.status).toBe(200);
      expect(JSON.parse(status.body).addresses.ipv4.address).toBe("203.0.113.7");
      const metrics = await fetchChecked(`${d.base}/metrics`, { headers: AUTH });
      expect(metrics.body).toContain('ddns_record_failing{record="home.example.com",type="A"} 0');

      const refused = async (path: string, headers: Record<string, string>) => {
        const res = await fetch(`${d.base}${path}`, { headers });
        const body = await res.text();
        return { path, status: res.status, challenge: res.headers.get("www-authenticate"), leaks: secretish.test(body) };
      };
      const challenge = (path: string) => ({ path, status: 401, challenge: 'Basic realm="ddnsd", charset="UTF-8"', leaks: false });
      for (const path of ["/status", "/metrics", "/"]) expect(await refused(path, {})).toEqual(challenge(path));
      expect((await fetch(`${d.base}/status`, { method: "HEAD" })).status).toBe(401);
      expect(await get(`${d.base}/healthz`)).toEqual({ status: 200, body: "ok" });
      // Three wrong logins, wherever they go, lock the client out of every guarded answer and of /nic/update.
      for (const path of ["/status", "/metrics", "/readyz"]) expect(await refused(path, basic(USER, `guess-${path}`))).toEqual(challenge(path));
      const locked = await fetch(`${d.base}/status`, { headers: AUTH });
      expect({ status: locked.status, retry: locked.headers.get("retry-after"), body: (await locked.text()).trim() })
        .toEqual({ status: 429, retry: "600", body: "too many failed logins from this address; try again later" });
      expect(await get(`${d.base}/nic/update?hostname=home.example.com&myip=203.0.113.8`, AUTH)).toEqual({ status: 200, body: "abuse" });
      // The probe's answer does not depend on the lockout: it sends no credentials.
      expect(await get(`${d.base}/readyz`)).toEqual({ status: 200, body: "ok" });
      expect(await get(`${d.base}/healthz`)).toEqual({ status: 200, body: "ok" });
      await d.daemon.waitForLine("Update endpoint: locked out 127.0.0.1 for 10m after 3 failed logins");
    } finally {
      expect(await d.stop()).toBe(0);
    }
  }, 30_000);
});

describe("push mode: the rate limit counts updates, whatever hostname= says", () => {
  it("rotating hostname= over the configured names does not buy more provider writes", async () => {
    const d = await startPushDaemon(cf.url, { DDNS_IP_VERSIONS: "4", DDNS_UPDATE_RATE_LIMIT: "2/5m" });
    try {
      const push = (host: string, ip: string) => get(`${d.base}/nic/update?hostname=${host}&myip=${ip}`, AUTH);
      expect(await push("home.example.com", "203.0.113.31")).toEqual({ status: 200, body: "good 203.0.113.31" });
      expect(await push("www.example.com", "203.0.113.32")).toEqual({ status: 200, body: "good 203.0.113.32" });
      const writes = cf.writes();
      expect(await push("home.example.com", "203.0.113.33")).toEqual({ status: 200, body: "abuse" });
      expect(await push("www.example.com", "203.0.113.34")).toEqual({ status: 200, body: "abuse" });
      expect(await push("home.example.com,www.example.com", "203.0.113.35")).toEqual({ status: 200, body: "abuse\nabuse" });
      expect(cf.writes()).toBe(writes);
      expect(cf.contents("home.example.com", "A")).toEqual(["203.0.113.32"]);
      // What the records already hold stays free.
      expect(await push("home.example.com", "203.0.113.32")).toEqual({ status: 200, body: "nochg 203.0.113.32" });
      await d.daemon.waitForLine("Update endpoint: over the rate limit of 2 updates per 5m; answered abuse to home.example.com");
    } finally {
      expect(await d.stop()).toBe(0);
    }
  }, 30_000);
});
