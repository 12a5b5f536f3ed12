/**
 * The cost of serving `/metrics`: requests per second (sequential and concurrent) against a real Bun.serve of the
 * app holding a realistic registry (100 records: 50 names × A and AAAA), and the server's RSS before and after
 * 10 000 requests (then after each further 10 000, up to 50 000, to tell a plateau from a leak).
 *
 *   bun bench/http.ts            # runs the server in a child process and prints the figures
 *   bun bench/http.ts --serve    # (internal) the child: serves and prints its port
 *
 * The server runs in its own process so that its RSS is not mixed with the client's; it reports its own RSS
 * through `process_resident_memory_bytes`, read from the scrape itself.
 */
import { createApp } from "../src/http/app.ts";
import { createStatusBoard } from "../src/engine/status-board.ts";
import { createDaemonMetrics } from "../src/metrics/daemon-metrics.ts";
import { serveBun } from "../src/runtime/serve-bun.ts";
import type { RecordType } from "../src/core/family.ts";

const NAMES = Array.from({ length: 50 }, (_, i) => `host-${String(i).padStart(2, "0")}.example.com`);
const RECORDS = NAMES.flatMap((name) => (["A", "AAAA"] as RecordType[]).map((type) => ({ target: "cloudflare", name, type })));

function buildApp() {
  const now = Date.now;
  const status = createStatusBoard({ version: "bench", runtime: "bun", now, families: [4, 6], records: RECORDS, staleAfterMs: 3_600_000 });
  const metrics = createDaemonMetrics({ version: "bench", runtime: "bun", startTimeSeconds: Math.round(now() / 1000), rss: () => process.memoryUsage().rss });
  metrics.recordsManaged.set(RECORDS.length);
  for (const family of ["ipv4", "ipv6"]) {
    metrics.detections.inc({ family, result: "ok" }, 288);
    metrics.detections.inc({ family, result: "failed" }, 2);
    for (let i = 0; i < 290; i++) metrics.detectionSeconds.observe(0.01 + (i % 40) / 100, { family });
    metrics.ipChanges.inc({ family }, 3);
  }
  for (const { name, type } of RECORDS) {
    metrics.recordUpdates.inc({ type, result: "updated" });
    metrics.recordLastSuccess.set(now() / 1000, { record: name, type });
    metrics.recordFailing.set(0, { record: name, type });
    status.setRecord({ target: "cloudflare", name, type }, { state: "ok", content: type === "A" ? "203.0.113.7" : "2001:db8::7", lastChange: new Date().toISOString() });
  }
  for (const outcome of ["ok", "error", "rate-limited", "timeout"]) metrics.providerRequests.inc({ provider: "cloudflare", outcome }, 7);
  return { app: createApp({ status, metrics, version: "bench", runtime: "bun", now: Date.now }), metrics };
}

async function serveChild(): Promise<void> {
  const { app } = buildApp();
  const server = await serveBun({ hostname: "127.0.0.1", port: 0, fetch: app.fetch });
  console.log(JSON.stringify({ port: server.port }));
  await new Promise(() => {}); // until the parent kills us
}

async function hammer(url: string, total: number, concurrency: number): Promise<number> {
  let left = total;
  const started = performance.now();
  const worker = async () => {
    while (left-- > 0) {
      const res = await fetch(url);
      if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return total / ((performance.now() - started) / 1000);
}

async function serverRss(url: string): Promise<number> {
  const text = await (await fetch(url)).text();
  const line = text.split("\n").find((l) => l.startsWith("process_resident_memory_bytes "));
  return Number(line?.split(" ")[1] ?? NaN);
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

async function main(): Promise<void> {
  // In-process: the render alone, without HTTP.
  const { metrics } = buildApp();
  const body = metrics.registry.render();
  const renders = 2_000;
  const t = performance.now();
  for (let i = 0; i < renders; i++) metrics.registry.render();
  const renderUs = ((performance.now() - t) * 1000) / renders;

  const child = Bun.spawn([process.execPath, import.meta.path, "--serve"], { stdout: "pipe", stderr: "inherit" });
  try {
    const first = await new Response(child.stdout).body!.getReader().read();
    const { port } = JSON.parse(new TextDecoder().decode(first.value).split("\n")[0]!) as { port: number };
    const url = `http://127.0.0.1:${port}/metrics`;
    await hammer(url, 500, 8); // warm-up: JIT, connection pool
    const rssBefore = await serverRss(url);
    // The first 10 000 requests: 2 000 sequential, 4 000 at concurrency 16, 4 000 at concurrency 64.
    const sequential = await hammer(url, 2_000, 1);
    const c16 = await hammer(url, 4_000, 16);
    const c64 = await hammer(url, 4_000, 64);
    const rssSteps = [await serverRss(url)];
    for (let round = 2; round <= 5; round++) {
      await hammer(url, 10_000, 16);
      rssSteps.push(await serverRss(url));
    }
    const delta = (a: number, b: number) => `${b >= a ? "+" : "-"}${mib(Math.abs(b - a))}`;

    const rows: Array<[string, string]> = [
      ["records / body size", `${RECORDS.length} records, ${body.length} bytes, ${body.split("\n").length - 1} lines`],
      ["render() alone", `${renderUs.toFixed(1)} µs per render`],
      ["GET /metrics sequential", `${sequential.toFixed(0)} req/s`],
      ["GET /metrics concurrency 16", `${c16.toFixed(0)} req/s`],
      ["GET /metrics concurrency 64", `${c64.toFixed(0)} req/s`],
      ["server RSS after warm-up (500 requests)", mib(rssBefore)],
      ...rssSteps.map((rss, i): [string, string] => [
        `server RSS after ${(i + 1) * 10}k requests`,
        `${mib(rss)} (${delta(i === 0 ? rssBefore : rssSteps[i - 1]!, rss)})`,
      ]),
    ];
    console.log(`ddnsd /metrics bench — Bun ${Bun.version}, ${navigator.hardwareConcurrency} CPUs, client and server in separate processes`);
    for (const [k, v] of rows) console.log(`  ${k.padEnd(42)} ${v}`);
  } finally {
    child.kill();
    await child.exited;
  }
}

if (process.argv.includes("--serve")) await serveChild();
else await main();
