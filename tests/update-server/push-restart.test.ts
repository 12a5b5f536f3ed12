import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertNoSecretLeaked } from "../blackbox/harness.ts";
import { startFakeCloudflare, type FakeCloudflare } from "../fakes/cloudflare/fake-cloudflare.ts";
import { curl } from "./clients.ts";
import { PASSWORD, startPushDaemon, TOKEN, USER } from "./push-daemon.ts";

/**
 * `dist/ddnsd` in push mode with DDNS_STATE_STORE_TYPE=file, restarted: a router (inadyn, FRITZ!Box) never pushes
 * an address it has already pushed, so the daemon must carry on from the address in its state file.
 */
let cf: FakeCloudflare;
let dir: string;
beforeAll(async () => {
  cf = await startFakeCloudflare({ token: TOKEN, zones: ["example.com"] });
  dir = mkdtempSync(join(tmpdir(), "ddnsd-push-restart-"));
});
afterAll(async () => {
  await cf.stop();
  rmSync(dir, { recursive: true, force: true });
  assertNoSecretLeaked();
});

async function readyWithin(base: string, ms: number): Promise<{ status: number; body: string }> {
  const deadline = Date.now() + ms;
  for (;;) {
    const res = await fetch(`${base}/readyz`);
    const answer = { status: res.status, body: (await res.text()).trim() };
    if (answer.status === 200 || Date.now() > deadline) return answer;
    await Bun.sleep(100);
  }
}

describe("push mode across a restart (file state store)", () => {
  it("starts from the stored addresses: /readyz 200 without a new push, nochg for the same address, no write", async () => {
    const env = { DDNS_STATE_STORE_TYPE: "file", DDNS_STATE_STORE_PATH: join(dir, "state.json") };
    const auth = { user: USER, password: PASSWORD };
    const first = await startPushDaemon(cf.url, env);
    try {
      expect(await curl(`${first.base}/nic/update?hostname=home.example.com&myip=203.0.113.7,2001:db8::7`, auth)).toEqual({ status: 200, body: "good 203.0.113.7,2001:db8::7\n" });
    } finally {
      expect(await first.stop()).toBe(0);
    }
    const writes = cf.writes();

    const second = await startPushDaemon(cf.url, env);
    try {
      expect(await readyWithin(second.base, 5_000)).toEqual({ status: 200, body: "ok" });
      await second.daemon.waitForLine("Push source: starting from the stored addresses 203.0.113.7 and 2001:db8::7 (until the next push)");
      expect(await curl(`${second.base}/nic/update?hostname=www.example.com&myip=203.0.113.7,2001:db8::7`, auth)).toEqual({ status: 200, body: "nochg 203.0.113.7,2001:db8::7\n" });
      expect(cf.writes()).toBe(writes);
      expect(await curl(`${second.base}/nic/update?hostname=www.example.com&myip=203.0.113.8`, auth)).toEqual({ status: 200, body: "good 203.0.113.8\n" });
      expect([cf.contents("home.example.com", "A"), cf.contents("home.example.com", "AAAA")]).toEqual([["203.0.113.8"], ["2001:db8::7"]]);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  }, 40_000);
});
