import { afterEach, describe, expect, it } from "bun:test";
import { testKey } from "../peers/dns-fixtures.ts";
import { startFakeDns, type FakeDns, type FakeDnsOptions } from "../peers/fake-dns.ts";
import { rfc2136Provider } from "../peers/rfc2136-setup.ts";

/** Answers no honest server gives, from a scripted UDP server: the provider must not believe them. */
const ZONE = "fake.test";
const key = testKey("fake-key");
let fake: FakeDns | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function run(options: Omit<FakeDnsOptions, "zone">, name = `host.${ZONE}`, signal = AbortSignal.timeout(10_000)) {
  fake = await startFakeDns({ zone: ZONE, ...options });
  const provider = rfc2136Provider({ port: fake.port, key, timeoutMs: 300 });
  const [result] = await provider.setRecords([{ name, type: "A", content: "203.0.113.60" }], { signal, dryRun: false });
  return result;
}

describe("rfc2136 does not trust answers it cannot verify", () => {
  it.each([
    { name: "an unsigned NOERROR", update: "unsigned-noerror" as const, message: (server: string) => `while writing the record set, the answer from "${server}" to the update (NOERROR) was not signed with key "fake-key"` },
    { name: "a forged TSIG (the request's own MAC)", update: "replay-request-tsig" as const, message: (server: string) => `while writing the record set, the TSIG signature of the answer from "${server}" to the update did not verify (MAC does not verify)` },
    { name: "no answer at all", update: "silent" as const, message: (server: string) => `while writing the record set, DNS server "${server}" did not answer the update in time; the change may or may not have been applied` },
  ])("reports $name to an update as unconfirmed", async ({ update, message }) => {
    const result = await run({ update });
    expect(result).toMatchObject({ ok: false, kind: "transient", unconfirmed: true, message: message(`127.0.0.1:${fake!.port}`) });
    expect(fake?.updatesReceived()).toBeGreaterThanOrEqual(1);
  });

  it("reports an update cancelled while in flight as unconfirmed", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("shutting down")), 100);
    fake = await startFakeDns({ zone: ZONE, update: "silent" });
    const provider = rfc2136Provider({ port: fake.port, key, timeoutMs: 5_000 });
    const [result] = await provider.setRecords([{ name: `host.${ZONE}`, type: "A", content: "203.0.113.61" }], { signal: controller.signal, dryRun: false });
    expect(result).toMatchObject({ ok: false, kind: "transient", unconfirmed: true });
    if (result && !result.ok) expect(result.message).toContain("cancelled");
  });

  it("ignores datagrams whose id does not match and uses the real answer", async () => {
    const result = await run({ update: "silent", strayFirst: true, records: { [`host.${ZONE}`]: ["203.0.113.60"] } });
    expect(result).toMatchObject({ ok: true, outcome: "unchanged", previous: ["203.0.113.60"] });
  });
});

describe("rfc2136 reads before it writes", () => {
  it("reports SERVFAIL to the read as transient without sending an update", async () => {
    const result = await run({ update: "unsigned-noerror", servfail: `host.${ZONE}` });
    expect(result).toMatchObject({ ok: false, kind: "transient" });
    if (result && !result.ok) {
      expect(result.message).toContain("SERVFAIL");
      expect(result.unconfirmed).toBeUndefined();
    }
    expect(fake?.updatesReceived()).toBe(0);
  });

  it("reports a cancelled round as transient without sending anything", async () => {
    const controller = new AbortController();
    controller.abort(new Error("shutting down"));
    const result = await run({ update: "silent" }, `host.${ZONE}`, controller.signal);
    expect(result).toMatchObject({ ok: false, kind: "transient", message: "the round was cancelled before this record was reached" });
    expect(fake?.updatesReceived()).toBe(0);
  });

  it("reports a name in no zone of the server as a configuration problem", async () => {
    const result = await run({ update: "silent" }, "host.other.test");
    expect(result).toMatchObject({ ok: false, kind: "config" });
  });
});
