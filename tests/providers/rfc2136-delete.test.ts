import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { createSocketTransport, type DnsTransport } from "../../src/dns/transport.ts";
import { opcodeOf } from "../../src/dns/messages.ts";
import { digRecords, testKey } from "../peers/dns-fixtures.ts";
import { startBind } from "../peers/bind-peer.ts";
import { startKnot, type DnsPeer } from "../peers/knot-peer.ts";
import { nsupdateEdit, rfc2136Provider, uniqueName } from "../peers/rfc2136-setup.ts";

/**
 * DDNS_DELETE_ON_STOP over RFC 2136 against the real servers: the deletion is one UPDATE whose prerequisite is the set
 * as ddnsd read it (RFC 2136 §2.4.2), so a set someone changes between ddnsd's read and its UPDATE is not deleted —
 * the server answers NXRRSET and the set stays. The change is made out of band (nsupdate) at the moment ddnsd's
 * UPDATE is about to leave.
 */
const key = testKey("delete-key");
const opts = { signal: AbortSignal.timeout(10_000), dryRun: false };

/** A transport that runs `before` once, just before the first UPDATE goes out. */
function racingTransport(before: () => Promise<void>): DnsTransport {
  const inner = createSocketTransport();
  let raced = false;
  return {
    async exchange(server, message, options) {
      if (opcodeOf(message) === 5 && !raced) {
        raced = true;
        await before();
      }
      return inner.exchange(server, message, options);
    },
  };
}

describe.each([
  { server: "Knot", start: () => startKnot([key]) },
  { server: "BIND", start: () => startBind({ keys: [key] }) },
])("rfc2136 deleteRecords against $server", ({ start }) => {
  let peer: DnsPeer;
  beforeAll(async () => {
    peer = await start();
  });
  afterAll(() => peer?.stop());

  it("deletes the set that holds exactly the published address", async () => {
    const name = uniqueName("del");
    await nsupdateEdit(peer.port, key, name, "A", ["203.0.113.7"]);
    const [result] = await rfc2136Provider({ port: peer.port, key }).deleteRecords!([{ name, type: "A", content: "203.0.113.7" }], opts);
    expect(result).toMatchObject({ ok: true, deleted: ["203.0.113.7"] });
    expect(await digRecords(peer.port, name, "A")).toEqual([]);
  });

  it("a set changed between the read and the UPDATE stays (the prerequisite fails with NXRRSET)", async () => {
    const name = uniqueName("race");
    await nsupdateEdit(peer.port, key, name, "A", ["203.0.113.7"]);
    const transport = racingTransport(() => nsupdateEdit(peer.port, key, name, "A", ["203.0.113.7", "198.51.100.9"]));
    const [result] = await rfc2136Provider({ port: peer.port, key, transport }).deleteRecords!([{ name, type: "A", content: "203.0.113.7" }], opts);
    expect(result).toEqual({
      ok: true, request: { name, type: "A", content: "203.0.113.7" }, deleted: [],
      kept: `the set changed while ddnsd was deleting it (DNS server "127.0.0.1:${peer.port}" answered NXRRSET: the set no longer holds what ddnsd read)`,
    });
    expect((await digRecords(peer.port, name, "A")).sort()).toEqual(["198.51.100.9", "203.0.113.7"]);
  });
});
