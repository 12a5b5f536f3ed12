import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import type { RecordType } from "../../src/core/family.ts";

/**
 * The provider contract: the one suite every provider must pass against its peer (a real DNS server or a fake
 * written from the service's documentation). Each provider's test file calls `providerContract(label, setup)`.
 */
export interface ContractPeer {
  /** Configured with the right secret, pointed at the peer. */
  provider: DnsProvider;
  /** The same provider with a wrong secret. */
  badAuthProvider: DnsProvider;
  /** The same provider pointed at a port where nothing listens. */
  unreachableProvider: DnsProvider;
  /** Two names inside the peer's zone that do not exist yet (distinct per call of setup). */
  names: [string, string];
  /** What the peer holds for (name, type), read out of band (a DNS query, the fake's own state). */
  read(name: string, type: RecordType): Promise<string[]>;
  /** How many writes the peer has received so far (for "no write when equal"). */
  writes(): Promise<number>;
  close(): Promise<void>;
}

const opts = () => ({ signal: AbortSignal.timeout(10_000), dryRun: false });

async function setOne(p: DnsProvider, req: RecordRequest): Promise<RecordResult> {
  const [result] = await p.setRecords([req], opts());
  if (!result) throw new Error("provider returned no result");
  return result;
}

/**
 * A failure's message is the reason only: the engine writes the headline (which record, "could not confirm") and
 * the delay it scheduled, once for every record that failed alike — so the message names neither the record nor a
 * retry of its own.
 */
function expectReasonOnly(message: string, name: string): void {
  expect(message).not.toContain(name);
  expect(message).not.toMatch(/^Could not (update|confirm)/);
  expect(message).not.toMatch(/will retry|retries|tries again|will be (retried|checked)|next round|try again in/i);
}

export function providerContract(label: string, setup: () => Promise<ContractPeer>): void {
  describe(`provider contract: ${label}`, () => {
    let peer: ContractPeer;
    beforeAll(async () => {
      peer = await setup();
    });
    afterAll(async () => {
      await peer?.close();
    });

    it("creates a missing A record", async () => {
      const [name] = peer.names;
      const r = await setOne(peer.provider, { name, type: "A", content: "203.0.113.10" });
      expect(r).toMatchObject({ ok: true });
      if (r.ok) expect(["created", "updated"]).toContain(r.outcome);
      expect(await peer.read(name, "A")).toEqual(["203.0.113.10"]);
    });

    it("updates the record when the address changes", async () => {
      const [name] = peer.names;
      const r = await setOne(peer.provider, { name, type: "A", content: "203.0.113.11" });
      expect(r).toMatchObject({ ok: true });
      if (r.ok) expect(["updated", "created"]).toContain(r.outcome);
      expect(await peer.read(name, "A")).toEqual(["203.0.113.11"]);
    });

    it("does not write when the record already holds the address (providers that can read)", async () => {
      if (!peer.provider.canRead) return;
      const [name] = peer.names;
      const before = await peer.writes();
      const r = await setOne(peer.provider, { name, type: "A", content: "203.0.113.11" });
      expect(r).toMatchObject({ ok: true, outcome: "unchanged" });
      expect(await peer.writes()).toBe(before);
    });

    it("manages AAAA records beside A records", async () => {
      const [, name] = peer.names;
      const results = await peer.provider.setRecords(
        [
          { name, type: "A", content: "198.51.100.20" },
          { name, type: "AAAA", content: "2001:db8::20" },
        ],
        opts(),
      );
      expect(results.map((r) => r.ok)).toEqual([true, true]);
      expect(await peer.read(name, "A")).toEqual(["198.51.100.20"]);
      expect(await peer.read(name, "AAAA")).toEqual(["2001:db8::20"]);
    });

    it("reports a refused secret as an auth failure with a clear message", async () => {
      const [name] = peer.names;
      const r = await setOne(peer.badAuthProvider, { name, type: "A", content: "203.0.113.99" });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.kind).toBe("auth");
        expect(r.message.length).toBeGreaterThan(10);
        expectReasonOnly(r.message, name);
      }
      expect(await peer.read(name, "A")).toEqual(["203.0.113.11"]);
    });

    it("reports an unreachable server as transient", async () => {
      const [name] = peer.names;
      const r = await setOne(peer.unreachableProvider, { name, type: "A", content: "203.0.113.98" });
      expect(r).toMatchObject({ ok: false, kind: "transient" });
      if (!r.ok) expectReasonOnly(r.message, name);
    });
  });
}
