import { afterEach, describe, expect, it } from "bun:test";
import { startFakeDynDns2, type FakeDynDns2, type StartOptions } from "../fakes/dyndns2/fake-dyndns2-server.ts";
import { a, createHarness, liveOptions, only, type Harness } from "../fakes/dyndns2/provider-harness.ts";

const HOST = "home.example.net";
const STOP_RECORD = "ddnsd stops updating this record until it restarts with a corrected configuration.";
const STOP_ALL = "ddnsd stops all updates until it restarts with a corrected configuration.";

let fake: FakeDynDns2 | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function setup(fakeOptions: StartOptions, userAgent?: string, password = "s3cret-pass") {
  fake = startFakeDynDns2({ hosts: [HOST, "other.example.net"], ...fakeOptions });
  const harness: Harness = createHarness(userAgent === undefined ? {} : { userAgent });
  const provider = harness.provider("dyndns2", { DDNS_PROVIDER_API_TOKEN: password, DDNS_PROVIDER_API_URL: fake.url, DDNS_DYNDNS2_USERNAME: "alice" });
  return { fake, harness, provider };
}

describe("dyndns2 fatal return codes", () => {
  it.each([
    { name: "nohost", fake: { hosts: [] }, kind: "config", explain: "the hostname does not exist in this account. Create it at the service, or correct DDNS_RECORDS or DDNS_DYNDNS2_USERNAME.", stop: STOP_RECORD },
    { name: "notfqdn", fake: { hostCodes: { [HOST]: "notfqdn" } }, kind: "config", explain: "the service does not accept the name as a fully-qualified domain name. Check the name in DDNS_RECORDS.", stop: STOP_RECORD },
    { name: "numhost", fake: { hostCodes: { [HOST]: "numhost" } }, kind: "config", explain: "too many hostnames in one update, or the name is a round-robin record. Remove round-robin names from DDNS_RECORDS or ask the service.", stop: STOP_RECORD },
    { name: "abuse", fake: { hostCodes: { [HOST]: "abuse" } }, kind: "auth", explain: "the hostname is blocked for update abuse. Unblock it in the service's control panel.", stop: STOP_RECORD },
    { name: "!yours", fake: { hostCodes: { [HOST]: "!yours" } }, kind: "auth", explain: "the hostname belongs to another account. Check DDNS_RECORDS and DDNS_DYNDNS2_USERNAME.", stop: STOP_RECORD },
    { name: "!donator", fake: { fault: "!donator" }, kind: "config", explain: "the update asked for a feature this account does not have. Check the account's plan with the service.", stop: STOP_ALL },
    { name: "badsys", fake: { requiredQuery: { system: "dyndns" } }, kind: "config", explain: "the service refused the system parameter. Check DDNS_DYNDNS2_PRESET and DDNS_PROVIDER_API_URL.", stop: STOP_ALL },
  ])("$name: reports $kind with an exact message and never sends for that record again", async (row) => {
    const { fake, provider, harness } = setup(row.fake as StartOptions);
    // The reason only (the engine names the record); `final`: no next attempt is promised, and none is sent.
    const expected = `DynDNS2 service answered ${JSON.stringify(row.name)}: ${row.explain} ${row.stop}`;
    const first = only(await provider.setRecords([a(HOST, "203.0.113.7")], liveOptions()));
    expect(first).toEqual({ ok: false, request: a(HOST, "203.0.113.7"), kind: row.kind as "auth", message: expected, final: true });
    // A refusal is an error in the request metrics, whatever HTTP status it came with.
    expect(harness.observed).toEqual(["error"]);
    const sent = fake.writes();
    const second = only(await provider.setRecords([a(HOST, "203.0.113.8")], liveOptions()));
    expect(second).toEqual({ ok: false, request: a(HOST, "203.0.113.8"), kind: row.kind as "auth", message: `not sent: ${expected}`, final: true });
    expect(fake.writes()).toBe(sent);
  });

  it("badauth: reports auth and stops every record, not only the one that was refused", async () => {
    const { fake, provider, harness } = setup({}, undefined, "wrong-pass");
    const first = only(await provider.setRecords([a(HOST, "203.0.113.7")], liveOptions()));
    const message = `DynDNS2 service answered "badauth": the user name and password were refused. Check DDNS_DYNDNS2_USERNAME and DDNS_PROVIDER_API_TOKEN. ${STOP_ALL}`;
    expect(first).toMatchObject({ ok: false, kind: "auth", message, final: true });
    const other = only(await provider.setRecords([a("other.example.net", "203.0.113.7")], liveOptions()));
    expect(other).toMatchObject({ ok: false, kind: "auth", message: `not sent: ${message}`, final: true });
    expect(fake.writes()).toBe(1);
    // The engine's line reports it (once for every record): the provider itself says nothing above debug.
    expect(harness.log.lines.filter((l) => !l.startsWith("DEBUG"))).toEqual([]);
  });

  it("badagent: an empty User-Agent is refused and stops all updates", async () => {
    const { fake, provider } = setup({}, "");
    const first = only(await provider.setRecords([a(HOST, "203.0.113.7")], liveOptions()));
    expect(first).toMatchObject({
      ok: false,
      kind: "config",
      message: `DynDNS2 service answered "badagent": the service refused ddnsd's user agent or request method. Report this at https://github.com/ddnsd/ddnsd/issues. ${STOP_ALL}`,
      final: true,
    });
    expect(fake.requests[0]?.userAgent).toBe("");
  });
});

describe("dyndns2 service faults (911, dnserr)", () => {
  it.each([
    { code: "911", explain: "the service reported an outage or maintenance on its side" },
    { code: "dnserr", explain: "the service reported a DNS error on its side" },
  ])("$code: transient, waits at least 30 minutes without sending, then tries again", async ({ code, explain }) => {
    const { fake, provider, harness } = setup({ fault: code });
    const first = only(await provider.setRecords([a(HOST, "203.0.113.7")], liveOptions()));
    expect(first).toEqual({
      ok: false,
      request: a(HOST, "203.0.113.7"),
      kind: "transient",
      // The 30-minute pause is retryAfterMs; the engine states it ("next attempt in 30m"), the reason does not.
      message: `DynDNS2 service answered ${JSON.stringify(code)}: ${explain}`,
      retryAfterMs: 30 * 60_000,
    });

    harness.clock.advance(29 * 60_000);
    const waiting = only(await provider.setRecords([a("other.example.net", "203.0.113.7")], liveOptions()));
    expect(waiting).toMatchObject({
      ok: false,
      kind: "transient",
      retryAfterMs: 60_000,
      message: `not sent: DynDNS2 service reported a problem on its side (${JSON.stringify(code)}), so updates are paused`,
    });
    expect(fake.writes()).toBe(1);

    fake.config.fault = undefined;
    harness.clock.advance(60_000);
    const after = only(await provider.setRecords([a(HOST, "203.0.113.7")], liveOptions()));
    expect(after).toMatchObject({ ok: true, outcome: "updated" });
    expect(fake.writes()).toBe(2);
  });
});

describe("dyndns2 success codes and unknown answers", () => {
  it("nochg: succeeds as unchanged and warns that repeated no-change updates get clients blocked", async () => {
    const { fake, provider, harness } = setup({});
    fake.records.set(HOST, { A: "203.0.113.7" });
    const result = only(await provider.setRecords([a(HOST, "203.0.113.7")], liveOptions()));
    expect(result).toEqual({ ok: true, request: a(HOST, "203.0.113.7"), outcome: "unchanged", previous: [] });
    expect(harness.observed).toEqual(["ok"]);
    expect(harness.log.lines).toContain(
      'WARN DynDNS2 service answered "nochg 203.0.113.7" for "home.example.net": it already held the address. Repeated no-change updates can get a client blocked; ddnsd sends again only when the address changes.',
    );
  });

  const notDynDns2 = (status: number, shown: string) => `DynDNS2 service answered HTTP ${status} with ${shown}, which is not a DynDNS2 answer`;
  it.each([
    { name: "an HTML page", status: 200, body: "<!DOCTYPE html><html><body>Welcome</body></html>", message: notDynDns2(200, '"<!DOCTYPE html><html><body>Welcome</body></html>"') },
    { name: "an unknown word", status: 200, body: "ok", message: notDynDns2(200, '"ok"') },
    { name: "an empty body", status: 200, body: "", message: notDynDns2(200, "an empty body") },
    // Not a 2xx and no return code: the kit's explanation of the status.
    { name: "a 502 from a proxy", status: 502, body: "Bad Gateway", message: 'DynDNS2 service failed (HTTP 502: "Bad Gateway")' },
  ])("$name: transient, could not confirm", async ({ status, body, message }) => {
    const { provider, harness } = setup({ rawAnswer: { status, body } });
    const result = only(await provider.setRecords([a(HOST, "203.0.113.7")], liveOptions()));
    expect(result).toEqual({
      ok: false,
      request: a(HOST, "203.0.113.7"),
      kind: "transient",
      unconfirmed: true,
      message,
    });
    expect(harness.observed).toEqual(["error"]);
  });

  it("good with another address than the one sent: could not confirm", async () => {
    const { provider } = setup({ rawAnswer: { status: 200, body: "good 127.0.0.1" } });
    const result = only(await provider.setRecords([a(HOST, "203.0.113.7")], liveOptions()));
    expect(result).toMatchObject({
      ok: false,
      kind: "transient",
      unconfirmed: true,
      message: 'DynDNS2 service answered "good 127.0.0.1", which does not show 203.0.113.7',
    });
  });

  it("HTTP 429: rate-limited with the service's Retry-After", async () => {
    const { provider, harness } = setup({ rawAnswer: { status: 429, body: "slow down", headers: { "retry-after": "120" } } });
    const result = only(await provider.setRecords([a(HOST, "203.0.113.7")], liveOptions()));
    expect(result).toMatchObject({
      ok: false,
      kind: "rate-limited",
      retryAfterMs: 120_000,
      message: 'DynDNS2 service asked ddnsd to slow down (HTTP 429: "slow down")',
    });
    expect(harness.observed).toEqual(["rate-limited"]);
  });

  it("HTTP 404 without a return code: a config failure that names the endpoint", async () => {
    const { fake, provider } = setup({ path: "/elsewhere" });
    const result = only(await provider.setRecords([a(HOST, "203.0.113.7")], liveOptions()));
    expect(result).toMatchObject({
      ok: false,
      kind: "config",
      message: `DynDNS2 service answered HTTP 404: the hostname does not exist there, or DDNS_PROVIDER_API_URL (${fake.url}/nic/update) is wrong`,
    });
  });
});
