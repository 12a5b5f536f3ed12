import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RecordType } from "../../src/core/family.ts";
import { startIpEcho, type IpEchoServer } from "../fakes/ip-echo.ts";
import { assertNoSecretLeaked, spawnDaemon } from "../blackbox/harness.ts";

/**
 * The black-box runs every provider gets (issue 14): the compiled `dist/ddnsd once` against the provider's fake,
 * with a file state store, an IP echo of its own and both families required —
 * 1. the first run creates the A and AAAA records (exit 0);
 * 2. an address change is written, and only that record (exit 0, one write);
 * 3. a second start with the same state makes no write and no request; after DDNS_VERIFY_INTERVAL a provider that
 *    can read re-reads and repairs a record edited by hand (a write-only one sends nothing: it cannot read);
 * 4. a wrong credential: exit 2, the log names the variable to fix, and no secret appears in any output.
 * Each run takes tens of milliseconds; a provider's four take well under a few seconds.
 *
 *   providerBlackbox({ id: "digitalocean", canRead: true, start: async () => ({ env, name, read, writes, … }) });
 */
export interface BlackboxPeer {
  /** The provider's variables pointing at its fake: DDNS_PROVIDER_TYPE, the secret, DDNS_PROVIDER_API_URL… */
  env: Record<string, string>;
  /** What makes the credential wrong, and the variable the failure must name. */
  wrongCredential: { env: Record<string, string>; variable: string };
  /** A name in the fake's zone that holds nothing yet. */
  name: string;
  /** Every secret in `env` and `wrongCredential` (checked absent from all output). */
  secrets: string[];
  read(name: string, type: RecordType): Promise<string[]>;
  /** Writes that took effect at the fake. */
  writes(): Promise<number>;
  /** Requests of any kind the fake received. */
  requests(): Promise<number>;
  /** A hand edit at the fake (required when the provider can read). */
  edit?(name: string, type: RecordType, contents: string[]): Promise<void>;
  stop(): Promise<void>;
}

export interface BlackboxOptions {
  id: string;
  /** Whether the provider reads records back (its descriptor's capabilities.read). */
  canRead: boolean;
  /** A service that updates only A records (Namecheap): the runs manage IPv4 only (DDNS_IP_VERSIONS=4). */
  ipv4Only?: boolean;
  /** Writes one address change costs (Netlify has no update: a create and a delete); 1 by default. */
  writesPerChange?: number;
  start(): Promise<BlackboxPeer>;
}

export function providerBlackbox(o: BlackboxOptions): void {
  describe(`dist/ddnsd once against the ${o.id} fake`, () => {
    let peer: BlackboxPeer;
    let ip: IpEchoServer;
    let dir: string;
    beforeAll(async () => {
      ip = startIpEcho({ v4: "203.0.113.7", v6: "2001:db8::7" });
      peer = await o.start();
      dir = mkdtempSync(join(tmpdir(), `ddnsd-bb-${o.id}-`));
    });
    afterAll(async () => {
      await peer?.stop();
      await ip?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
      assertNoSecretLeaked();
    });

    const once = async (extra: Record<string, string> = {}) => {
      const env = {
        DDNS_RECORDS: peer.name,
        DDNS_IP_SOURCE_URLS_V4: `${ip.url}/v4`,
        DDNS_IP_SOURCE_URLS_V6: `${ip.url}/v6`,
        DDNS_IP_VERSIONS: o.ipv4Only ? "4" : "4,6",
        DDNS_HTTP_ADDR: "off",
        DDNS_STATE_STORE_TYPE: "file",
        DDNS_STATE_STORE_PATH: join(dir, "state.json"),
        DDNS_VERIFY_INTERVAL: "1s",
        ...peer.env,
        ...extra,
      };
      const daemon = spawnDaemon(["once"], env, peer.secrets);
      const code = await daemon.exited(15_000);
      return { code, lines: daemon.lines, out: daemon.lines.join("\n") };
    };
    const traffic = async () => ({ writes: await peer.writes(), requests: await peer.requests() });

    it("creates the A and AAAA records on the first run and exits 0", async () => {
      const r = await once();
      expect({ code: r.code, out: r.out }).toMatchObject({ code: 0 });
      expect(r.lines).toContain(`INFO All ${o.ipv4Only ? 1 : 2} record(s) are confirmed up to date`);
      expect(await peer.read(peer.name, "A")).toEqual(["203.0.113.7"]);
      expect(await peer.read(peer.name, "AAAA")).toEqual(o.ipv4Only ? [] : ["2001:db8::7"]);
    });

    it("writes an address change, and only the record that changed", async () => {
      ip.set({ v4: "203.0.113.8" });
      const before = await peer.writes();
      const r = await once();
      expect({ code: r.code, out: r.out }).toMatchObject({ code: 0 });
      expect(await peer.read(peer.name, "A")).toEqual(["203.0.113.8"]);
      expect(await peer.read(peer.name, "AAAA")).toEqual(o.ipv4Only ? [] : ["2001:db8::7"]);
      expect(await peer.writes()).toBe(before + (o.writesPerChange ?? 1));
    });

    it("makes no write and no request on a second start with the same state", async () => {
      const before = await traffic();
      const r = await once();
      expect({ code: r.code, out: r.out }).toMatchObject({ code: 0 });
      expect(await traffic()).toEqual(before);
    });

    it(o.canRead ? "re-reads after DDNS_VERIFY_INTERVAL and repairs a record edited by hand" : "sends nothing after DDNS_VERIFY_INTERVAL (a write-only provider cannot re-read)", async () => {
      if (o.canRead) {
        if (!peer.edit) throw new Error(`the ${o.id} black-box peer must offer edit(): the provider can read`);
        await peer.edit(peer.name, "A", ["192.0.2.66"]);
      }
      await Bun.sleep(1_100);
      const before = await traffic();
      const r = await once();
      expect({ code: r.code, out: r.out }).toMatchObject({ code: 0 });
      const after = await traffic();
      if (o.canRead) {
        expect(r.lines).toContain(`INFO Updated A record ${peer.name}: 192.0.2.66 → 203.0.113.8`);
        expect(after.writes).toBe(before.writes + (o.writesPerChange ?? 1));
        expect(after.requests).toBeGreaterThan(before.requests + 1);
      } else expect(after).toEqual(before);
      expect(await peer.read(peer.name, "A")).toEqual(["203.0.113.8"]);
    });

    it("exits 2 for a wrong credential, names the variable to fix, and prints no secret", async () => {
      ip.set({ v4: "203.0.113.9" });
      const r = await once({ ...peer.wrongCredential.env, DDNS_STATE_STORE_TYPE: "memory" });
      expect({ code: r.code, out: r.out }).toMatchObject({ code: 2 });
      const failure = r.lines.filter((l) => l.startsWith("ERROR Could not update"));
      expect(failure.length).toBe(1);
      expect(failure[0]).toContain(peer.wrongCredential.variable);
      expect(failure[0]).toContain("kind=auth");
      expect(await peer.read(peer.name, "A")).toEqual(["203.0.113.8"]);
    });
  });
}
