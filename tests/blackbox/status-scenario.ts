import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnDaemon, type Daemon } from "./harness.ts";
import { freePort, startWorld, until, type TestWorld } from "./world.ts";

/**
 * A daemon with a history to show, against the fakes, for the status page's browser test and for
 * scripts/status-page-screenshot.ts: two records, A and AAAA, created; an IPv4 change followed; a second change
 * the provider refuses with `failure` (Cloudflare's error message), so one record is failing with that error.
 */
export interface Scenario {
  w: TestWorld;
  d: Daemon;
  url: string;
  statePath: string;
  stop(): Promise<void>;
}

export const SCENARIO_RECORDS = ["home.example.com", "nas.example.com"];

export async function startScenario(failure: string): Promise<Scenario> {
  const w = await startWorld({ v4: "203.0.113.70", v6: "2001:db8::70" });
  const dir = mkdtempSync(join(tmpdir(), "ddnsd-page-"));
  const statePath = join(dir, "state.json");
  const port = await freePort();
  const d = spawnDaemon([], w.env({
    DDNS_RECORDS: SCENARIO_RECORDS.join(","),
    DDNS_IP_VERSIONS: "4,6",
    DDNS_HTTP_ADDR: `127.0.0.1:${port}`,
    DDNS_POLL_INTERVAL: "1h",
    DDNS_STATE_STORE_TYPE: "file",
    DDNS_STATE_STORE_PATH: statePath,
  }));
  const stop = async () => {
    d.kill("SIGKILL");
    await d.proc.exited;
    await w.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const name of SCENARIO_RECORDS) await d.waitForLine(`INFO Created AAAA record ${name} → 2001:db8::70`);
    w.ip.set({ v4: "203.0.113.71", v6: "2001:db8::70" });
    d.kill("SIGHUP");
    for (const name of SCENARIO_RECORDS) await d.waitForLine(`INFO Updated A record ${name}: 203.0.113.70 → 203.0.113.71`);
    // Every write of the next change fails (its lookups succeed), the retries too.
    for (const method of ["POST", "PATCH", "PUT"]) w.cf.faults.add({ kind: "status", status: 400, method, times: 1000, errors: [{ code: 9109, message: failure }] });
    w.ip.set({ v4: "203.0.113.72", v6: "2001:db8::70" });
    d.kill("SIGHUP");
    const url = `http://127.0.0.1:${port}/`;
    await until(async () => ((await (await fetch(`${url}status`)).json()) as { records: Array<{ state: string }> }).records.filter((r) => r.state === "failing").length, (n) => n === 2, 10_000, "two failing A records");
    return { w, d, url, statePath, stop };
  } catch (error) {
    console.error(d.lines.join("\n"));
    await stop();
    throw error;
  }
}
