import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertNoSecretLeaked, spawnDaemon } from "../blackbox/harness.ts";
import { startWorld } from "../blackbox/world.ts";
import { runCrashCampaign, stateProblem } from "./crash-campaign.ts";

/**
 * Crash safety of dist/ddnsd with a file state store, bounded for the suite (bench/reliability.ts runs more):
 * at least 200 SIGKILLs at random moments, during provider writes and inside state-file writes included. Every
 * restart must succeed, every completed run must leave the provider exactly right, the state file must be valid
 * after every kill (or, when planted corrupt, moved aside with the warning and rebuilt), and the final clean round
 * must end with no duplicate and no stale record and no temporary file left.
 */
afterAll(assertNoSecretLeaked);

export const SUITE_KILLS = 210;

describe("SIGKILL at random moments", () => {
  it(`${SUITE_KILLS} kills: every restart succeeds, the state stays valid, and the provider ends exactly right`, async () => {
    const f = await runCrashCampaign({ kills: SUITE_KILLS, runKills: 8, seed: 2026 });
    expect(f.violations).toEqual([]);
    expect(f.kills).toBeGreaterThanOrEqual(200);
    expect(f.killsInProviderWrite).toBeGreaterThanOrEqual(20);
    expect(f.killsInStateWrite).toBeGreaterThanOrEqual(10);
    expect(f.completedRuns).toBeGreaterThanOrEqual(10);
    expect(f.movedAside).toBe(f.corruptPlanted);
    expect(f).toMatchObject({ duplicates: 0, stale: 0, tmpFilesLeft: 0 });
  }, 150_000);
});

describe("the crashes the campaign found, replayed", () => {
  let dir = "";
  beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), "ddnsd-replay-"))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("a kill while the provider applies a change, then the address going back, leaves no stale record", async () => {
    const w = await startWorld({ v4: "203.0.113.1" });
    const state = join(dir, "state.json");
    const env = w.env({ DDNS_IP_VERSIONS: "4", DDNS_STATE_STORE_TYPE: "file", DDNS_STATE_STORE_PATH: state });
    try {
      expect(await spawnDaemon(["once"], env).exited()).toBe(0);
      w.ip.set({ v4: "203.0.113.2" });
      w.cf.faults.add({ kind: "hang", delayMs: 400, method: "POST", times: 1 }); // the batch write lands after the kill
      w.cf.faults.add({ kind: "hang", delayMs: 400, method: "PATCH", times: 1 });
      const mark = w.cf.requests().length;
      const killed = spawnDaemon(["once"], env);
      while (!w.cf.requests().slice(mark).some((r) => r.method !== "GET")) await Bun.sleep(5);
      killed.kill("SIGKILL");
      await killed.exited();
      await Bun.sleep(500);
      expect(w.cf.contents("home.example.com", "A")).toEqual(["203.0.113.2"]);
      w.ip.set({ v4: "203.0.113.1" }); // back to what the state file said before the kill
      const again = spawnDaemon(["once"], env);
      expect(await again.exited()).toBe(0);
      expect(w.cf.contents("home.example.com", "A")).toEqual(["203.0.113.1"]);
    } finally {
      await w.stop();
    }
  });

  it("temporary state files left by a kill inside a state write are removed at the next start", async () => {
    const w = await startWorld();
    const state = join(dir, "leftovers.json");
    writeFileSync(`${state}.tmp-1795000000000-abc123`, '{"version":2,"rec');
    try {
      const d = spawnDaemon(["once"], w.env({ DDNS_STATE_STORE_TYPE: "file", DDNS_STATE_STORE_PATH: state }));
      expect(await d.exited()).toBe(0);
      expect(d.lines).toContain("INFO Removed 1 temporary state file(s) left by an interrupted write");
      expect(readdirSync(dir).filter((n) => n.startsWith("leftovers.json"))).toEqual(["leftovers.json"]);
      expect(existsSync(state) && stateProblem(state)).toBeUndefined();
    } finally {
      await w.stop();
    }
  });
});

describe("the campaign's own state-file judge", () => {
  let dir = "";
  beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), "ddnsd-judge-"))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    { name: "a valid file", text: '{"version":3,"records":[{"target":"cloudflare","name":"a.example.com","type":"A","content":"203.0.113.1"}],"history":[]}', problem: undefined },
    { name: "a torn write", text: '{"version":3,"records":[{"target":"cloudflare","name":"a.exa', problem: "not JSON" },
    { name: "another format version", text: '{"version":4,"records":[],"history":[]}', problem: "wrong shape" },
    { name: "a format-1 file (read, never written)", text: '{"version":1,"records":[]}', problem: "wrong shape" },
    { name: "a format-2 file (read, never written)", text: '{"version":2,"records":[]}', problem: "wrong shape" },
    { name: "a format-3 file without its history", text: '{"version":3,"records":[]}', problem: "wrong shape" },
    { name: "a record without its target", text: '{"version":3,"records":[{"name":"a.example.com","type":"A","content":"203.0.113.1"}],"history":[]}', problem: "bad record" },
    { name: "a record of another type", text: '{"version":3,"records":[{"target":"cloudflare","name":"a.example.com","type":"MX","content":"x"}],"history":[]}', problem: "bad record" },
  ])("judges $name", ({ name, text, problem }) => {
    const path = join(dir, name.replaceAll(" ", "-"));
    writeFileSync(path, text);
    const verdict = stateProblem(path);
    if (problem === undefined) expect(verdict).toBeUndefined();
    else expect(verdict).toStartWith(problem);
  });
});
