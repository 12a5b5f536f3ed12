import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { curl, ddclient, wget } from "./clients.ts";
import { CF_TOKEN, PASSWORD, startWorker, USER, type WorkerUnderTest } from "./worker-harness.ts";

/**
 * src/worker.ts in workerd (Miniflare from npm) against the fake Cloudflare API. Each test updates a host of its
 * own, so the per-host rate limit (3 per hour here) only bites where a test wants it to.
 */
const RECORDS = ["home", "office", "nas", "cam", "tv", "printer", "limit", "curl", "ddclient", "wget", "gzip", "outage"].map((h) => `${h}.example.com`).concat("home.example.net");
let w: WorkerUnderTest;
beforeAll(async () => {
  w = await startWorker({ DDNS_RECORDS: RECORDS.join(","), DDNS_UPDATE_LOCKOUT: "3/10m", DDNS_UPDATE_RATE_LIMIT: "3/1h" });
}, 60_000);
afterAll(async () => {
  const output = w.output.join("\n");
  await w.stop();
  expect(output).not.toContain(CF_TOKEN);
  expect(output).not.toContain(PASSWORD);
});

const OK: [string, string] = [USER, PASSWORD];
const update = (query: string, init: { auth?: [string, string] | string; ip?: string; method?: string } = {}) =>
  w.dispatch(`/nic/update?${query}`, { auth: OK, ip: "198.51.100.10", ...init });

describe("the Worker under workerd", () => {
  it("answers /healthz", async () => {
    expect(await w.dispatch("/healthz")).toMatchObject({ status: 200, body: "ok" });
  });

  it.each([
    { name: "both families in one myip", query: "hostname=home.example.com&myip=203.0.113.1,2001:db8::1", ip: "198.51.100.10", body: "good 203.0.113.1,2001:db8::1\n", a: ["203.0.113.1"], aaaa: ["2001:db8::1"], host: "home.example.com" },
    { name: "myip and myipv6", query: "hostname=office.example.com&myip=203.0.113.2&myipv6=2001:db8::2", ip: "198.51.100.10", body: "good 203.0.113.2,2001:db8::2\n", a: ["203.0.113.2"], aaaa: ["2001:db8::2"], host: "office.example.com" },
    { name: "no myip: CF-Connecting-IP (IPv6)", query: "hostname=nas.example.com", ip: "2001:db8:aa::3", body: "good 2001:db8:aa::3\n", a: [], aaaa: ["2001:db8:aa::3"], host: "nas.example.com" },
    { name: "no myip: CF-Connecting-IP (IPv4)", query: "hostname=cam.example.com&myip=", ip: "198.51.100.4", body: "good 198.51.100.4\n", a: ["198.51.100.4"], aaaa: [], host: "cam.example.com" },
  ])("updates: $name", async ({ query, ip, body, a, aaaa, host }) => {
    expect(await update(query, { ip })).toMatchObject({ status: 200, body });
    expect({ a: w.cf.contents(host, "A"), aaaa: w.cf.contents(host, "AAAA") }).toEqual({ a: [...a], aaaa: [...aaaa] });
  });

  it("answers nochg on repeat, and good again for a new address", async () => {
    const q = "hostname=tv.example.com&myip=203.0.113.5";
    expect((await update(q)).body).toBe("good 203.0.113.5\n");
    expect((await update(q)).body).toBe("nochg 203.0.113.5\n");
    expect((await update("hostname=tv.example.com&myip=203.0.113.6")).body).toBe("good 203.0.113.6\n");
    expect(w.cf.contents("tv.example.com", "A")).toEqual(["203.0.113.6"]);
  });

  it.each([
    { name: "no credentials", init: { auth: "" }, status: 401, body: "badauth\n" },
    { name: "wrong password", init: { auth: [USER, "not-the-password"] as [string, string] }, status: 401, body: "badauth\n" },
    { name: "the Cloudflare token as password", init: { auth: [USER, CF_TOKEN] as [string, string] }, status: 401, body: "badauth\n" },
    { name: "unknown host", init: {}, status: 200, body: "nohost\n", query: "hostname=evil.example.com&myip=203.0.113.9" },
    { name: "not a FQDN", init: {}, status: 200, body: "notfqdn\n", query: "hostname=printer&myip=203.0.113.9" },
    { name: "no hostname", init: {}, status: 200, body: "notfqdn\n", query: "myip=203.0.113.9" },
    { name: "too many hosts", init: {}, status: 200, body: "numhost\n", query: `hostname=${Array.from({ length: 21 }, (_, i) => `x${i}.example.com`).join(",")}` },
    { name: "malformed myip", init: {}, status: 400, body: "badrequest\n", query: "hostname=printer.example.com&myip=203.0.113.999" },
    { name: "private myip", init: {}, status: 400, body: "badrequest\n", query: "hostname=printer.example.com&myip=10.0.0.1" },
    { name: "POST", init: { method: "POST" }, status: 405, body: "badagent\n" },
    { name: "zone missing at Cloudflare", init: {}, status: 200, body: "dnserr\n", query: "hostname=home.example.net&myip=203.0.113.9" },
  ])("refuses: $name", async ({ init, status, body, query }) => {
    const res = await update(query ?? "hostname=printer.example.com&myip=203.0.113.9", { ip: "198.51.100.20", ...init });
    expect({ status: res.status, body: res.body }).toEqual({ status, body });
    expect(w.cf.contents("printer.example.com", "A")).toEqual([]);
  });

  it("updates through a proxy that gzips every answer: workerd inflates it, the byte cap counts what it inflated", async () => {
    w.cf.faults.add({ kind: "gzip", probability: 1 });
    try {
      expect(await update("hostname=gzip.example.com&myip=203.0.113.77")).toMatchObject({ status: 200, body: "good 203.0.113.77\n" });
      expect(w.cf.requests().some((r) => r.fault === "gzip")).toBe(true);
    } finally {
      w.cf.faults.clear();
    }
    expect(w.cf.contents("gzip.example.com", "A")).toEqual(["203.0.113.77"]);
  });

  it("answers 911 when the Cloudflare API fails, then backs off like the daemon: no request until the retry is due", async () => {
    const q = "hostname=outage.example.com&myip=203.0.113.9";
    w.cf.faults.add({ kind: "status", status: 502, times: 30 });
    try {
      expect(await update(q)).toMatchObject({ status: 200, body: "911\n" });
      const asked = w.cf.requests().length;
      const again = await update(q);
      expect({ status: again.status, body: again.body, asked: w.cf.requests().length }).toEqual({ status: 200, body: "911\n", asked });
      expect(Number(again.headers.get("retry-after"))).toBeGreaterThan(0);
    } finally {
      w.cf.faults.clear();
    }
  });

  it("locks a client out after 3 failures: abuse even with the right password; other clients go on", async () => {
    const q = "hostname=printer.example.com&myip=203.0.113.9";
    for (let i = 0; i < 3; i++) expect((await update(q, { ip: "192.0.2.66", auth: [USER, `guess-${i}`] })).body).toBe("badauth\n");
    const locked = await update(q, { ip: "192.0.2.66" });
    expect({ status: locked.status, body: locked.body, retry: locked.headers.get("retry-after") }).toEqual({ status: 200, body: "abuse\n", retry: "600" });
    expect((await update(q, { ip: "192.0.2.67" })).body).toBe("good 203.0.113.9\n");
  });

  it("rate limits changes per host: the fourth change within the hour is abuse", async () => {
    for (const n of [11, 12, 13]) expect((await update(`hostname=limit.example.com&myip=203.0.113.${n}`)).body).toBe(`good 203.0.113.${n}\n`);
    const limited = await update("hostname=limit.example.com&myip=203.0.113.14");
    expect({ body: limited.body, retry: Number(limited.headers.get("retry-after")) > 3500 }).toEqual({ body: "abuse\n", retry: true });
    expect((await update("hostname=limit.example.com&myip=203.0.113.13")).body).toBe("nochg 203.0.113.13\n");
    expect(w.cf.contents("limit.example.com", "A")).toEqual(["203.0.113.13"]);
  });
});

describe("DynDNS2 clients against workerd's listener", () => {
  const url = (query: string) => `${w.origin}/nic/update?${query}`;

  it("curl with -u, then with credentials in the URL", async () => {
    expect(await curl(url("hostname=curl.example.com&myip=203.0.113.30"), { user: USER, password: PASSWORD })).toEqual({ status: 200, body: "good 203.0.113.30\n" });
    expect(await curl(url("hostname=curl.example.com&myip=203.0.113.30"), { user: USER, password: PASSWORD, inUrl: true })).toEqual({ status: 200, body: "nochg 203.0.113.30\n" });
    expect(await curl(url("hostname=curl.example.com&myip=203.0.113.31"))).toEqual({ status: 401, body: "badauth\n" });
  });

  it("wget logs in after the 401 challenge", async () => {
    const run = await wget(url("hostname=wget.example.com&myip=203.0.113.40"), USER, PASSWORD);
    expect({ code: run.code, body: run.body }).toEqual({ code: 0, body: "good 203.0.113.40\n" });
    expect(run.log).toContain("HTTP/1.1 401 Unauthorized");
    expect(w.cf.contents("wget.example.com", "A")).toEqual(["203.0.113.40"]);
  });

  it("ddclient (dyndns2) updates a record, then reports nochg", async () => {
    const server = new URL(w.origin).host;
    const first = await ddclient({ server, login: USER, password: PASSWORD, hosts: ["ddclient.example.com"], ip: "203.0.113.50" });
    expect(first.verdicts, first.output).toEqual(["SUCCESS: updating ddclient.example.com: good: IP address set to 203.0.113.50"]);
    expect(w.cf.contents("ddclient.example.com", "A")).toEqual(["203.0.113.50"]);
    const again = await ddclient({ server, login: USER, password: PASSWORD, hosts: ["ddclient.example.com"], ip: "203.0.113.50" });
    expect(again.verdicts, again.output).toEqual([
      "WARNING: updating ddclient.example.com: nochg: No update required; unnecessary attempts to change to the current address are considered abusive",
    ]);
    const wrong = await ddclient({ server, login: USER, password: "wrong-password", hosts: ["ddclient.example.com"], ip: "203.0.113.51" });
    expect(wrong.verdicts[0], wrong.output).toStartWith("FAILED: updating ddclient.example.com: authorization failed");
  }, 90_000);

  it("a Worker with a bad configuration answers 911 and says why on /healthz", async () => {
    const broken = await startWorker({ DDNS_UPDATE_PASSWORD: CF_TOKEN, DDNS_PROVIDER_API_TOKEN: CF_TOKEN });
    try {
      expect(await broken.dispatch("/nic/update?hostname=home.example.com&myip=203.0.113.1", { auth: [USER, CF_TOKEN] })).toMatchObject({ status: 500, body: "911\n" });
      expect(await broken.dispatch("/healthz")).toMatchObject({
        status: 500,
        body: "Configuration error: DDNS_UPDATE_PASSWORD must not be the provider token; give the update endpoint a password of its own.\n",
      });
      expect(broken.output.join("\n")).not.toContain(CF_TOKEN);
    } finally {
      await broken.stop();
    }
  }, 60_000);
});
