/**
 * bench/container: the image built from dist/ddnsd (scripts/container-build.sh), run like the container test
 * (read-only, no capabilities, token as a podman secret) against the fake Cloudflare API, probed and scraped
 * every 10 s like a cluster would, and measured after it has run for a while: the image's size, the daemon's RSS (with its anonymous and file-backed parts and the private
 * part), and what the container's memory cgroup is charged — the figure a Kubernetes memory limit is held to.
 *
 *   bun run build && bun bench/container.ts [--seconds 60] [--records 10]      (root; podman, runc, slirp4netns)
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildImage, cleanup, must, requireRootPodman, ROOT, RUN_ID } from "../tests/deploy/harness.ts";
import { containerMemory, inspect, mib, runDaemonContainer, startFakes } from "../tests/deploy/fixtures.ts";
import { argNumber, printTable, procMemory } from "./lib.ts";

const seconds = argNumber("seconds", 60);
const count = argNumber("records", 10);
const IMAGE = `localhost/ddnsd:bench-${RUN_ID}`;
const NAME = `ddnsd-bench-${RUN_ID}`;
const SECRET = `ddnsd-bench-token-${RUN_ID}`;
const TOKEN = `bench-token-${RUN_ID}-a81f`;

/** Bytes charged to the container's memory cgroup (v1 or v2), and the page cache inside that charge. */
function cgroupMemory(pid: string): { usage: number; cache: number } {
  const lines = readFileSync(`/proc/${pid}/cgroup`, "utf8").split("\n");
  const v1 = lines.find((l) => /^\d+:memory:/.test(l))?.split(":")[2];
  if (v1 !== undefined) {
    const dir = `/sys/fs/cgroup/memory${v1}`;
    const stat = readFileSync(`${dir}/memory.stat`, "utf8");
    return { usage: Number(readFileSync(`${dir}/memory.usage_in_bytes`, "utf8")), cache: Number(/^total_cache (\d+)/m.exec(stat)?.[1] ?? 0) };
  }
  const v2 = lines.find((l) => l.startsWith("0::"))!.slice(3);
  const dir = `/sys/fs/cgroup${v2}`;
  const stat = readFileSync(`${dir}/memory.stat`, "utf8");
  return { usage: Number(readFileSync(`${dir}/memory.current`, "utf8")), cache: Number(/^file (\d+)/m.exec(stat)?.[1] ?? 0) };
}

requireRootPodman();
buildImage(IMAGE);
const fakes = await startFakes(TOKEN);
const tokenFile = join(ROOT, ".tmp", `bench-token-${RUN_ID}`);
writeFileSync(tokenFile, TOKEN, { mode: 0o600 });
must(["podman", "secret", "create", SECRET, tokenFile]);
rmSync(tokenFile, { force: true });
try {
  const records = Array.from({ length: count }, (_, i) => `bench${i}.example.com`).join(",");
  const started = performance.now();
  const daemon = runDaemonContainer({ image: IMAGE, name: NAME, secret: SECRET, fakes, records, env: { DDNS_POLL_INTERVAL: "10s" } });
  while (fakes.cf.records({ type: "A" }).length < count) await Bun.sleep(50);
  const firstRound = performance.now() - started;
  // What a cluster does meanwhile: probes and a scrape every 10 s.
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    for (const path of ["/healthz", "/readyz", "/metrics", "/status"]) await (await fetch(`${daemon.url}${path}`)).text();
    await Bun.sleep(Math.min(10_000, Math.max(0, until - Date.now())));
  }
  const pid = inspect(NAME, "{{.State.Pid}}");
  const m = containerMemory(NAME);
  const p = procMemory(Number(pid));
  const cg = cgroupMemory(pid);
  printTable(`ddnsd container after ${seconds} s (${count} records, polling every 10 s, probed and scraped every 10 s)`, [
    ["image size (uncompressed)", mib(Number(inspect(IMAGE, "{{.Size}}")))],
    ["podman run → all records created", `${firstRound.toFixed(0)} ms`],
    ["RSS (VmRSS)", mib(m.rssBytes)],
    ["  anonymous (heap, stacks)", mib(m.anonBytes)],
    ["  file-backed (executable pages)", mib(m.fileBytes)],
    ["private (smaps_rollup)", mib(p.privateKiB * 1024)],
    ["peak RSS (VmHWM)", mib(p.peakKiB * 1024)],
    ["memory cgroup usage", mib(cg.usage)],
    ["  of which page cache", mib(cg.cache)],
  ]);
} finally {
  cleanup("container", NAME);
  cleanup("secret", SECRET);
  cleanup("image", IMAGE);
  await fakes.stop();
}
