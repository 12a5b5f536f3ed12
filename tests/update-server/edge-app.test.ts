import { describe, expect, it } from "bun:test";
import { createUpdateApp } from "../../src/update-server/update-app.ts";
import { fromSocketPeer } from "../../src/update-server/client-address.ts";
import type { HostOutcome, HostUpdate, UpdateBackend } from "../../src/update-server/types.ts";
import { createMemoryLogger } from "../../src/log/logger.ts";

/** The endpoint through `app.request()`: every DynDNS2 answer, exact lines and statuses, over a scripted backend. */
const USER = "router";
const PASSWORD = "pa55-for-routers";
const AUTH = `Basic ${btoa(`${USER}:${PASSWORD}`)}`;
const WRONG = `Basic ${btoa(`${USER}:guess`)}`;

function setup(opts: { outcomes?: HostOutcome[]; confirmed?: string[]; families?: Array<4 | 6>; lockout?: number; rate?: number; limitKey?: (host: string) => string } = {}) {
  let now = 1_700_000_000_000;
  const applied: HostUpdate[][] = [];
  const outcomes = [...(opts.outcomes ?? [])];
  const backend: UpdateBackend = {
    families: opts.families ?? [4, 6],
    allows: (host) => ["home.example.com", "office.example.com"].includes(host),
    rateLimitKey: opts.limitKey ?? ((host) => host),
    confirmed: (u) => (opts.confirmed ?? []).includes(`${u.host} ${u.addresses.map((a) => a.address).join(",")}`),
    apply: async (updates) => {
      applied.push(updates);
      return updates.map(() => outcomes.shift() ?? "good");
    },
  };
  const log = createMemoryLogger("debug", [PASSWORD]);
  const app = createUpdateApp({
    settings: { username: USER, password: PASSWORD, lockout: { count: opts.lockout ?? 3, windowMs: 600_000 }, rateLimit: { count: opts.rate ?? 5, windowMs: 300_000 } },
    backend,
    allowPrivate: false,
    clientAddress: fromSocketPeer,
    log,
    now: () => now,
  });
  async function call(query: string, init: { auth?: string | null; method?: string; peer?: string } = {}) {
    const headers: Record<string, string> = {};
    const auth = init.auth === undefined ? AUTH : init.auth;
    if (auth !== null) headers.Authorization = auth;
    const res = await app.request(`/nic/update${query}`, { method: init.method ?? "GET", headers }, { remoteAddress: init.peer ?? "198.51.100.1" });
    return { status: res.status, body: await res.text(), headers: res.headers };
  }
  return { call, applied, log, advance: (ms: number) => void (now += ms) };
}

describe("DynDNS2 answers", () => {
  it.each([
    { name: "good, one host", query: "?hostname=home.example.com&myip=203.0.113.7", outcomes: [], status: 200, body: "good 203.0.113.7\n" },
    { name: "good, both families in one myip", query: "?hostname=home.example.com&myip=203.0.113.7,2001:db8::7", outcomes: [], status: 200, body: "good 203.0.113.7,2001:db8::7\n" },
    { name: "good, IPv6 only through myipv6", query: "?hostname=home.example.com&myipv6=2001:db8::7", outcomes: [], status: 200, body: "good 2001:db8::7\n" },
    { name: "nochg from the backend", query: "?hostname=home.example.com&myip=203.0.113.7", outcomes: ["nochg"], status: 200, body: "nochg 203.0.113.7\n" },
    { name: "911 from the backend", query: "?hostname=home.example.com&myip=203.0.113.7", outcomes: ["911"], status: 200, body: "911\n" },
    { name: "dnserr from the backend", query: "?hostname=home.example.com&myip=203.0.113.7", outcomes: ["dnserr"], status: 200, body: "dnserr\n" },
    { name: "one line per host, in order", query: "?hostname=home.example.com,nope.example.com,router,office.example.com&myip=203.0.113.7", outcomes: ["good", "911"], status: 200, body: "good 203.0.113.7\nnohost\nnotfqdn\n911\n" },
    { name: "nohost only: no address needed", query: "?hostname=nope.example.com", outcomes: [], status: 200, body: "nohost\n" },
    { name: "missing hostname", query: "?myip=203.0.113.7", outcomes: [], status: 200, body: "notfqdn\n" },
    { name: "too many hosts", query: `?hostname=${Array.from({ length: 21 }, (_, i) => `h${i}.example.com`).join(",")}`, outcomes: [], status: 200, body: "numhost\n" },
    { name: "malformed myip", query: "?hostname=home.example.com&myip=203.0.113", outcomes: [], status: 400, body: "badrequest\n" },
    { name: "private myip", query: "?hostname=home.example.com&myip=192.168.178.20", outcomes: [], status: 400, body: "badrequest\n" },
    { name: "router parameters are ignored", query: "?system=dyndns&hostname=home.example.com&myip=203.0.113.7&wildcard=NOCHG&mx=NOCHG&backmx=NOCHG&offline=NO", outcomes: [], status: 200, body: "good 203.0.113.7\n" },
  ])("$name", async ({ query, outcomes, status, body }) => {
    const t = setup({ outcomes: [...outcomes] as HostOutcome[] });
    const res = await t.call(query);
    expect({ status: res.status, body: res.body }).toEqual({ status, body });
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
  });

  it("answers nochg for a confirmed host without asking the backend", async () => {
    const t = setup({ confirmed: ["home.example.com 203.0.113.7"] });
    expect((await t.call("?hostname=home.example.com&myip=203.0.113.7")).body).toBe("nochg 203.0.113.7\n");
    expect(t.applied).toEqual([]);
  });

  it("takes the socket peer when myip is missing, never a forwarded header", async () => {
    const t = setup();
    const res = await t.call("?hostname=home.example.com", { peer: "::ffff:198.51.100.44" });
    expect(res.body).toBe("good 198.51.100.44\n");
    expect(t.applied).toEqual([[{ host: "home.example.com", addresses: [{ family: 4, address: "198.51.100.44" }] }]]);
  });

  it("sends each host to the backend once, with the request's addresses", async () => {
    const t = setup();
    await t.call("?hostname=home.example.com,HOME.example.com.,office.example.com&myip=203.0.113.7");
    expect(t.applied).toEqual([[
      { host: "home.example.com", addresses: [{ family: 4, address: "203.0.113.7" }] },
      { host: "office.example.com", addresses: [{ family: 4, address: "203.0.113.7" }] },
    ]]);
  });
});

describe("authentication and abuse", () => {
  it.each([
    { name: "no credentials: the challenge", auth: null, status: 401 },
    { name: "wrong password", auth: WRONG, status: 401 },
    { name: "not Basic", auth: "Bearer x", status: 401 },
  ])("badauth: $name", async ({ auth, status }) => {
    const t = setup();
    const res = await t.call("?hostname=nope.example.com&myip=203.0.113.7", { auth });
    expect({ status: res.status, body: res.body, challenge: res.headers.get("www-authenticate") }).toEqual({ status, body: "badauth\n", challenge: 'Basic realm="ddnsd", charset="UTF-8"' });
    expect(t.applied).toEqual([]);
  });

  it("badagent for any method but GET", async () => {
    const t = setup();
    for (const method of ["POST", "PUT", "HEAD"]) {
      const res = await t.call("?hostname=home.example.com&myip=203.0.113.7", { method });
      expect({ method, status: res.status, allow: res.headers.get("allow") }).toEqual({ method, status: 405, allow: "GET" });
      if (method !== "HEAD") expect(res.body).toBe("badagent\n");
    }
  });

  it("locks a client out after repeated failures, whatever it sends then, and lets it in after the window", async () => {
    const t = setup({ lockout: 3 });
    const q = "?hostname=home.example.com&myip=203.0.113.7";
    for (let i = 0; i < 3; i++) expect((await t.call(q, { auth: WRONG })).body).toBe("badauth\n");
    const locked = await t.call(q);
    expect({ status: locked.status, body: locked.body, retry: locked.headers.get("retry-after") }).toEqual({ status: 200, body: "abuse\n", retry: "600" });
    expect((await t.call(q, { auth: WRONG })).body).toBe("abuse\n");
    expect((await t.call(q, { peer: "198.51.100.2" })).body).toBe("good 203.0.113.7\n");
    t.advance(600_000);
    expect((await t.call(q)).body).toBe("good 203.0.113.7\n");
    expect(t.log.lines).toContain("WARN Update endpoint: locked out 198.51.100.1 for 10m after 3 failed logins client=198.51.100.1");
    expect(t.log.lines).toContain("WARN Update endpoint: the lockout of 198.51.100.1 has ended; it refused 2 requests while it lasted client=198.51.100.1");
  });

  it("a challenge without credentials never counts towards the lockout", async () => {
    const t = setup({ lockout: 2 });
    for (let i = 0; i < 5; i++) await t.call("?hostname=home.example.com", { auth: null });
    expect((await t.call("?hostname=home.example.com&myip=203.0.113.7")).body).toBe("good 203.0.113.7\n");
  });

  it("rate limits changes per host with abuse and Retry-After; nochg is free", async () => {
    const t = setup({ rate: 2, confirmed: ["home.example.com 203.0.113.1"] });
    for (const ip of ["203.0.113.2", "203.0.113.3"]) expect((await t.call(`?hostname=home.example.com&myip=${ip}`)).body).toBe(`good ${ip}\n`);
    const limited = await t.call("?hostname=home.example.com,office.example.com&myip=203.0.113.4");
    expect({ body: limited.body, retry: limited.headers.get("retry-after") }).toEqual({ body: "abuse\ngood 203.0.113.4\n", retry: "300" });
    expect((await t.call("?hostname=home.example.com&myip=203.0.113.1")).body).toBe("nochg 203.0.113.1\n");
  });

  it("one rate-limit key for every host (the daemon): rotating hostname= shares the limit, one request is one update", async () => {
    const t = setup({ rate: 2, limitKey: () => "every record" });
    expect((await t.call("?hostname=home.example.com,office.example.com&myip=203.0.113.2")).body).toBe("good 203.0.113.2\ngood 203.0.113.2\n");
    expect((await t.call("?hostname=office.example.com&myip=203.0.113.3")).body).toBe("good 203.0.113.3\n");
    const limited = await t.call("?hostname=home.example.com&myip=203.0.113.4");
    expect({ body: limited.body, retry: limited.headers.get("retry-after") }).toEqual({ body: "abuse\n", retry: "300" });
    expect((await t.call("?hostname=office.example.com&myip=203.0.113.5")).body).toBe("abuse\n");
    expect(t.applied.length).toBe(2);
    expect(t.log.lines.filter((l) => l.includes("over the rate limit"))).toEqual([
      "WARN Update endpoint: over the rate limit of 2 updates per 5m; answered abuse to home.example.com (until an update passes again, further refusals are logged at debug)",
      "DEBUG Update endpoint: over the rate limit of 2 updates per 5m; answered abuse to office.example.com",
    ]);
  });

  it("never logs the password", async () => {
    const t = setup({ lockout: 2 });
    await t.call("?hostname=home.example.com&myip=203.0.113.7");
    await t.call("?hostname=home.example.com", { auth: `Basic ${btoa(`${PASSWORD}:${PASSWORD}`)}` });
    expect(t.log.lines.join("\n")).not.toContain(PASSWORD);
    expect(t.log.lines.join("\n")).not.toContain(btoa(`${USER}:${PASSWORD}`));
  });
});
