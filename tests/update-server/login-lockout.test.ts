import { describe, expect, it } from "bun:test";
import { createCredentialCheck, type CredentialCheck } from "../../src/update-server/basic-auth.ts";
import { fromSocketPeer } from "../../src/update-server/client-address.ts";
import { createUpdateApp } from "../../src/update-server/update-app.ts";
import type { UpdateBackend } from "../../src/update-server/types.ts";
import { createMemoryLogger } from "../../src/log/logger.ts";

/**
 * The lockout under concurrency and the refused-login log lines, through the endpoint (`app.request()`): however
 * many requests arrive at once, a client gets at most DDNS_UPDATE_LOCKOUT credential checks per window, and the
 * log says each distinct problem once per client and window instead of once per request.
 */
const USER = "router";
const PASSWORD = "pa55-for-routers";
const basic = (user: string, password: string) => `Basic ${btoa(`${user}:${password}`)}`;
const WINDOW_MS = 600_000;

function setup(opts: { lockout?: number } = {}) {
  let now = 1_700_000_000_000;
  let checks = 0;
  const real = createCredentialCheck({ username: USER, password: PASSWORD });
  // Counts every credential check; the extra turn of the event loop widens the window a racy lockout leaves open.
  const credentials: CredentialCheck = {
    async verify(given) {
      checks += 1;
      await Bun.sleep(1);
      return real.verify(given);
    },
  };
  const backend: UpdateBackend = {
    families: [4],
    allows: (host) => host === "home.example.com",
    rateLimitKey: (host) => host,
    confirmed: () => false,
    apply: async (updates) => updates.map(() => "good"),
  };
  const log = createMemoryLogger("debug", [PASSWORD]);
  const app = createUpdateApp({
    settings: { username: USER, password: PASSWORD, lockout: { count: opts.lockout ?? 5, windowMs: WINDOW_MS }, rateLimit: { count: 1000, windowMs: 300_000 } },
    backend,
    allowPrivate: false,
    clientAddress: fromSocketPeer,
    log,
    now: () => now,
    credentials,
  });
  async function call(auth: string | null, peer = "198.51.100.1") {
    const headers: Record<string, string> = auth === null ? {} : { Authorization: auth };
    const res = await app.request("/nic/update?hostname=home.example.com&myip=203.0.113.7", { headers }, { remoteAddress: peer });
    return (await res.text()).trim();
  }
  const tally = (answers: string[]) => answers.reduce<Record<string, number>>((t, a) => ({ ...t, [a]: (t[a] ?? 0) + 1 }), {});
  const refusals = () => log.lines.filter((l) => l.startsWith("WARN Update endpoint:") || l.startsWith("INFO Update endpoint: the lockout"));
  return { call, tally, refusals, log, checks: () => checks, advance: (ms: number) => void (now += ms) };
}

const parallel = (n: number, f: (i: number) => Promise<string>) => Promise.all(Array.from({ length: n }, (_, i) => f(i)));

describe("lockout under parallel requests", () => {
  it("300 parallel wrong passwords get exactly DDNS_UPDATE_LOCKOUT checks; the right password is then locked out", async () => {
    const t = setup({ lockout: 5 });
    const answers = await parallel(300, (i) => t.call(basic(USER, `guess-${i}`)));
    expect(t.tally(answers)).toEqual({ badauth: 5, abuse: 295 });
    expect(t.checks()).toBe(5);
    t.advance(WINDOW_MS - 1);
    expect(await t.call(basic(USER, PASSWORD))).toBe("abuse");
    expect(t.checks()).toBe(5);
    t.advance(1);
    expect(await t.call(basic(USER, PASSWORD))).toBe("good 203.0.113.7");
  });

  it("parallel unreadable headers count against the same limit", async () => {
    const t = setup({ lockout: 3 });
    const answers = await parallel(50, (i) => t.call(i % 2 ? "Basic !!!" : basic(USER, "guess")));
    expect(t.tally(answers)).toEqual({ badauth: 3, abuse: 47 });
    expect(await t.call(basic(USER, PASSWORD))).toBe("abuse");
  });

  it("the right password among parallel wrong ones is checked within the limit and clears the failures", async () => {
    const t = setup({ lockout: 3 });
    const answers = await parallel(3, (i) => t.call(basic(USER, i === 1 ? PASSWORD : "guess")));
    expect(answers).toEqual(["badauth", "good 203.0.113.7", "badauth"]);
    expect(t.checks()).toBe(3);
    expect(await t.call(basic(USER, "guess"))).toBe("badauth");
  });

  it("another client is not held back by a locked-out one", async () => {
    const t = setup({ lockout: 2 });
    await parallel(20, () => t.call(basic(USER, "guess")));
    expect(await t.call(basic(USER, PASSWORD), "198.51.100.2")).toBe("good 203.0.113.7");
  });
});

describe("refused logins in the log", () => {
  it("300 parallel wrong passwords: one line for the problem, one for the lockout, one summary when it ends", async () => {
    const t = setup({ lockout: 5 });
    await parallel(300, (i) => t.call(basic(USER, `guess-${i}`)));
    await t.call(null);
    expect(t.refusals()).toEqual([
      "WARN Update endpoint: refused a login from 198.51.100.1: wrong credentials (failure 1 of 5 before a 10m lockout; repeats are counted, not logged) client=198.51.100.1",
      "WARN Update endpoint: locked out 198.51.100.1 for 10m after 5 failed logins client=198.51.100.1",
    ]);
    t.advance(WINDOW_MS);
    await t.call(null, "198.51.100.9");
    expect(t.refusals().slice(2)).toEqual([
      "WARN Update endpoint: the lockout of 198.51.100.1 has ended; it refused 296 requests while it lasted client=198.51.100.1",
    ]);
  });

  it.each([
    { name: "wrong credentials", auth: basic(USER, "guess"), problem: "wrong credentials" },
    { name: "not Basic", auth: "Bearer abc", problem: "an unreadable Authorization header" },
    { name: "Basic without a colon", auth: `Basic ${btoa("router")}`, problem: "an unreadable Authorization header" },
  ])("a refused login is logged: $name", async ({ auth, problem }) => {
    const t = setup({ lockout: 5 });
    expect(await t.call(auth)).toBe("badauth");
    expect(t.refusals()).toEqual([
      `WARN Update endpoint: refused a login from 198.51.100.1: ${problem} (failure 1 of 5 before a 10m lockout; repeats are counted, not logged) client=198.51.100.1`,
    ]);
  });

  it("each distinct problem once per client and window, then again in the next window", async () => {
    const t = setup({ lockout: 5 });
    for (const auth of [basic(USER, "a"), basic(USER, "b"), "Bearer x", "Bearer y"]) await t.call(auth);
    await t.call(basic(USER, "a"), "198.51.100.2");
    expect(t.refusals().map((l) => l.replace(/ \(failure.*/, ""))).toEqual([
      "WARN Update endpoint: refused a login from 198.51.100.1: wrong credentials",
      "WARN Update endpoint: refused a login from 198.51.100.1: an unreadable Authorization header",
      "WARN Update endpoint: refused a login from 198.51.100.2: wrong credentials",
    ]);
    t.advance(WINDOW_MS);
    await t.call(basic(USER, "a"));
    expect(t.refusals()[3]).toStartWith("WARN Update endpoint: refused a login from 198.51.100.1: wrong credentials (failure 1 of 5");
  });

  it("the challenge (no credentials) is not a refused login and is not logged", async () => {
    const t = setup();
    for (let i = 0; i < 10; i++) expect(await t.call(null)).toBe("badauth");
    expect(t.refusals()).toEqual([]);
  });
});
