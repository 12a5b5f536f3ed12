import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import type { RecordType } from "../../src/core/family.ts";

/**
 * The provider contract: the one suite every provider must pass against its peer (a real DNS server or a fake
 * written from the service's documentation). Each provider's test file calls `providerContract(label, setup)`.
 * Every case asserts something of every provider: where a provider that reads records and a write-only one
 * (DynDNS2, DuckDNS) must differ, each gets its own assertion — a write-only provider proves "no write" by sending
 * no request at all, which the peer counts.
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
  /** Every secret the three providers were given (the right one and the wrong one): no message may hold one. */
  secrets: string[];
  /**
   * For a service that updates only A records (Namecheap's dynamic DNS): the reason an AAAA request gets, a config
   * failure with nothing sent. Unset: AAAA records are managed like A records.
   */
  ipv4Only?: string;
  /** The variable a refused secret's message must name (default DDNS_PROVIDER_API_TOKEN). */
  secretVariable?: string;
  /** What the peer holds for (name, type), read out of band (a DNS query, the fake's own state). */
  read(name: string, type: RecordType): Promise<string[]>;
  /** The TXT texts the peer holds at a name, read out of band (required with `registry`). */
  readTxt?(name: string): Promise<string[]>;
  /** How many writes the peer has received so far (for "no write when equal"). */
  writes(): Promise<number>;
  /** How many requests of any kind the peer has received (required for write-only providers). */
  requests?(): Promise<number>;
  /** `false` for a peer that cannot hold AAAA records (IPv4-only update URLs): an AAAA request is a config failure. */
  ipv6?: boolean;
  /** Makes the peer hold exactly `contents` for (name, type), out of band, as a hand edit would (required for readers). */
  edit?(name: string, type: RecordType, contents: string[]): Promise<void>;
  /**
   * The provider stores comments (its descriptor's `capabilities.comments`): `"record"` for one per record (several
   * daemons can share a name), `"set"` for one per record set (a set whose comment does not match is left alone).
   */
  comments?: "record" | "set";
  /**
   * The provider has the owner TXT registry (`capabilities.ownerRegistry`, DDNS_OWNER_ID): `"record"` on the record
   * template (each owner's TXT names its record: several daemons share a name), `"set"` on the set-replacing one (the
   * set is one owner's).
   */
  registry?: "record" | "set";
  close(): Promise<void>;
}

const opts = (dryRun = false) => ({ signal: AbortSignal.timeout(10_000), dryRun });

async function setOne(p: DnsProvider, req: RecordRequest, dryRun = false): Promise<RecordResult> {
  const [result] = await p.setRecords([req], opts(dryRun));
  if (!result) throw new Error("provider returned no result");
  return result;
}

/**
 * A failure's message is the reason only: the engine writes the headline (which record, "could not confirm") and
 * the delay it scheduled, once for every record that failed alike — so the message names neither the record nor a
 * retry of its own. It never holds a secret.
 */
function expectReasonOnly(message: string, name: string, secrets: readonly string[]): void {
  expect(message).not.toContain(name);
  expect(message).not.toMatch(/^Could not (update|confirm)/);
  expect(message).not.toMatch(/will retry|retries|tries again|will be (retried|checked)|next round|try again in/i);
  for (const secret of secrets) expect(message.includes(secret), `a message holds the secret ${secret.slice(0, 2)}…: ${message}`).toBe(false);
}

export function providerContract(label: string, setup: () => Promise<ContractPeer>): void {
  describe(`provider contract: ${label}`, () => {
    let peer: ContractPeer;
    /** Counts what a write must not change: the peer's writes, and for write-only providers every request. */
    const traffic = async () => ({ writes: await peer.writes(), requests: peer.provider.canRead ? 0 : await peer.requests!() });
    const edit = (name: string, type: RecordType, contents: string[]) => {
      if (!peer.edit) throw new Error(`the contract peer of ${label} must offer edit(): its provider can read`);
      return peer.edit(name, type, contents);
    };
    beforeAll(async () => {
      peer = await setup();
      expect(peer.secrets.filter((s) => s.length >= 4).length, "the peer names the secrets it gave the providers").toBeGreaterThanOrEqual(2);
      if (!peer.provider.canRead) expect(peer.requests, "a write-only provider's peer counts requests").toBeDefined();
    });
    afterAll(async () => {
      await peer?.close();
    });

    it("creates a missing A record", async () => {
      const [name] = peer.names;
      const r = await setOne(peer.provider, { name, type: "A", content: "203.0.113.10" });
      expect(r).toMatchObject(peer.provider.canRead ? { ok: true, outcome: "created", previous: [] } : { ok: true, outcome: "updated" });
      expect(await peer.read(name, "A")).toEqual(["203.0.113.10"]);
    });

    it("updates the record when the address changes", async () => {
      const [name] = peer.names;
      const r = await setOne(peer.provider, { name, type: "A", content: "203.0.113.11" });
      expect(r).toMatchObject(peer.provider.canRead ? { ok: true, outcome: "updated", previous: ["203.0.113.10"] } : { ok: true, outcome: "updated" });
      expect(await peer.read(name, "A")).toEqual(["203.0.113.11"]);
    });

    it("does not write when the record already holds the address (write-only providers: sends no request)", async () => {
      const [name] = peer.names;
      const before = await traffic();
      const r = await setOne(peer.provider, { name, type: "A", content: "203.0.113.11" });
      expect(r).toMatchObject({ ok: true, outcome: "unchanged" });
      expect(await traffic()).toEqual(before);
      expect(await peer.read(name, "A")).toEqual(["203.0.113.11"]);
    });

    it("plans a change in a dry run and writes nothing", async () => {
      const [name] = peer.names;
      const before = await traffic();
      const r = await setOne(peer.provider, { name, type: "A", content: "203.0.113.12" }, true);
      expect(r).toMatchObject({ ok: true, outcome: "planned" });
      expect(await traffic()).toEqual(before);
      expect(await peer.read(name, "A")).toEqual(["203.0.113.11"]);
    });

    it("repairs a record edited by hand at the peer on the next set (write-only providers: cannot see it, send nothing)", async () => {
      const [name] = peer.names;
      if (!peer.provider.canRead) {
        const before = await traffic();
        expect(await setOne(peer.provider, { name, type: "A", content: "203.0.113.11" })).toMatchObject({ ok: true, outcome: "unchanged" });
        expect(await traffic()).toEqual(before);
        return;
      }
      await edit(name, "A", ["192.0.2.66"]);
      const r = await setOne(peer.provider, { name, type: "A", content: "203.0.113.11" });
      expect(r).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.66"] });
      expect(await peer.read(name, "A")).toEqual(["203.0.113.11"]);
    });

    it("cleans a duplicate record of the same name and type (write-only providers: claim no knowledge of the peer)", async () => {
      const [name] = peer.names;
      if (!peer.provider.canRead) {
        const r = await setOne(peer.provider, { name, type: "A", content: "203.0.113.13" });
        expect(r).toMatchObject({ ok: true, outcome: "updated", previous: [] });
        expect(await peer.read(name, "A")).toEqual(["203.0.113.13"]);
        expect(await setOne(peer.provider, { name, type: "A", content: "203.0.113.11" })).toMatchObject({ ok: true, outcome: "updated" });
        return;
      }
      await edit(name, "A", ["192.0.2.77", "203.0.113.11"]);
      const r = await setOne(peer.provider, { name, type: "A", content: "203.0.113.11" });
      expect(r).toMatchObject({ ok: true, outcome: "updated" });
      if (r.ok) expect([...r.previous].sort()).toEqual(["192.0.2.77", "203.0.113.11"]);
      expect(await peer.read(name, "A")).toEqual(["203.0.113.11"]);
    });

    it("manages AAAA records beside A records (IPv4-only services: refuse them as configuration errors, sending nothing)", async () => {
      const [, name] = peer.names;
      const results = await peer.provider.setRecords(
        [
          { name, type: "A", content: "198.51.100.20" },
          { name, type: "AAAA", content: "2001:db8::20" },
        ],
        opts(),
      );
      if (peer.ipv4Only !== undefined) {
        expect(results.map((r) => (r.ok ? r.outcome : { kind: r.kind, message: r.message }))).toEqual(["updated", { kind: "config", message: peer.ipv4Only }]);
        expect(await peer.read(name, "AAAA")).toEqual([]);
      } else if (peer.ipv6 === false) {
        expect(results.map((r) => (r.ok ? r.outcome : r.kind))).toEqual(["updated", "config"]);
        expect(await peer.read(name, "AAAA")).toEqual([]);
      } else {
        expect(results.map((r) => r.ok && r.outcome)).toEqual(peer.provider.canRead ? ["created", "created"] : ["updated", "updated"]);
        expect(await peer.read(name, "AAAA")).toEqual(["2001:db8::20"]);
      }
      expect(await peer.read(name, "A")).toEqual(["198.51.100.20"]);
    });

    it("with DDNS_MANAGED_RECORDS_COMMENT_REGEX, writes its comment and never writes a record whose comment does not match", async () => {
      if (!peer.comments) return;
      const name = `owned-${peer.names[0]}`;
      const as = (id: string, content: string): RecordRequest => ({ name, type: "A", content, comment: `ddnsd:${id}`, managedComment: new RegExp(`^ddnsd:${id}$`) });
      expect(await setOne(peer.provider, as("a", "203.0.113.30"))).toMatchObject({ ok: true, outcome: "created" });
      const b = await setOne(peer.provider, as("b", "198.51.100.30"));
      if (peer.comments === "record") {
        expect(b).toMatchObject({ ok: true, outcome: "created", previous: [] });
        expect((await peer.read(name, "A")).sort()).toEqual(["198.51.100.30", "203.0.113.30"]);
        expect(await setOne(peer.provider, as("a", "203.0.113.31"))).toMatchObject({ ok: true, outcome: "updated", previous: ["203.0.113.30"] });
        expect((await peer.read(name, "A")).sort()).toEqual(["198.51.100.30", "203.0.113.31"]);
        const before = await traffic();
        expect(await setOne(peer.provider, as("b", "198.51.100.30"))).toMatchObject({ ok: true, outcome: "unchanged" });
        expect(await traffic()).toEqual(before);
      } else {
        expect(b).toMatchObject({ ok: false, kind: "config" });
        if (!b.ok) expect(b.message).toContain("does not match DDNS_MANAGED_RECORDS_COMMENT_REGEX");
        expect(await peer.read(name, "A")).toEqual(["203.0.113.30"]);
        expect(await setOne(peer.provider, as("a", "203.0.113.31"))).toMatchObject({ ok: true, outcome: "updated", previous: ["203.0.113.30"] });
        expect(await peer.read(name, "A")).toEqual(["203.0.113.31"]);
      }
    });

    it("with DDNS_OWNER_ID, writes its owner TXT beside its record and never writes a record another owner's TXT names", async () => {
      if (!peer.registry) return;
      const name = `registry-${peer.names[0]}`;
      const as = (ownerId: string, content: string): RecordRequest => ({ name, type: "A", content, ownerId });
      const texts = async () => (await peer.readTxt!(`_ddnsd-a.${name}`)).map((t) => t.replace(/^"(.*)"$/, "$1")).sort();
      expect(await setOne(peer.provider, as("a", "203.0.113.40"))).toMatchObject({ ok: true, outcome: "created" });
      const b = await setOne(peer.provider, as("b", "198.51.100.40"));
      if (peer.registry === "record") {
        expect(b).toMatchObject({ ok: true, outcome: "created", previous: [], notOwned: ["203.0.113.40"] });
        expect((await peer.read(name, "A")).sort()).toEqual(["198.51.100.40", "203.0.113.40"]);
        expect((await texts()).map((t) => t.replace(/record=.*$/, "record="))).toEqual(["heritage=ddnsd,owner=a,record=", "heritage=ddnsd,owner=b,record="]);
        expect(await setOne(peer.provider, as("a", "203.0.113.41"))).toMatchObject({ ok: true, outcome: "updated", previous: ["203.0.113.40"] });
        expect((await peer.read(name, "A")).sort()).toEqual(["198.51.100.40", "203.0.113.41"]);
        // An update that gives the record a new id (delete + create APIs) moves its owner TXT along.
        expect(await setOne(peer.provider, as("a", "203.0.113.41"))).toMatchObject({ ok: true, outcome: "unchanged" });
        expect((await texts()).map((t) => t.replace(/record=.*$/, "record="))).toEqual(["heritage=ddnsd,owner=a,record=", "heritage=ddnsd,owner=b,record="]);
        const before = await traffic();
        expect(await setOne(peer.provider, as("b", "198.51.100.40"))).toMatchObject({ ok: true, outcome: "unchanged" });
        expect(await traffic()).toEqual(before);
      } else {
        expect(b).toMatchObject({ ok: false, kind: "config" });
        if (!b.ok) expect(b.message).toContain('an owner TXT record of another owner ("a")');
        expect(await texts()).toEqual(["heritage=ddnsd,owner=a"]);
        expect(await peer.read(name, "A")).toEqual(["203.0.113.40"]);
        expect(await setOne(peer.provider, as("a", "203.0.113.41"))).toMatchObject({ ok: true, outcome: "updated", previous: ["203.0.113.40"] });
        expect(await peer.read(name, "A")).toEqual(["203.0.113.41"]);
        expect(await texts()).toEqual(["heritage=ddnsd,owner=a"]);
      }
    });

    it("reports a refused secret as an auth failure naming the variable to fix, without the secret", async () => {
      const [name] = peer.names;
      const r = await setOne(peer.badAuthProvider, { name, type: "A", content: "203.0.113.99" });
      expect(r).toMatchObject({ ok: false, kind: "auth" });
      if (!r.ok) {
        expect(r.message).toContain(peer.secretVariable ?? "DDNS_PROVIDER_API_TOKEN");
        expect(r.unconfirmed ?? false).toBe(false);
        expectReasonOnly(r.message, name, peer.secrets);
      }
      expect(await peer.read(name, "A")).toEqual(["203.0.113.11"]);
    });

    it("reports an unreachable server as transient, never as 'could not confirm' (nothing arrived)", async () => {
      const [name] = peer.names;
      const r = await setOne(peer.unreachableProvider, { name, type: "A", content: "203.0.113.98" });
      expect(r).toMatchObject({ ok: false, kind: "transient" });
      if (!r.ok) {
        expect(r.unconfirmed ?? false).toBe(false);
        expectReasonOnly(r.message, name, peer.secrets);
      }
    });
  });
}
