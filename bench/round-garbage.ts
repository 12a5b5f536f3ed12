/**
 * bench/round-garbage: what pieces of one 1000-record change allocate, in-process (docs/memory.md, "A round's
 * garbage"). After a full collection, the growth of the JS heap's capacity (`bun:jsc` heapStats) and of the
 * allocator's memory (`bun:jsc` memoryUsage) over one piece, three times each (the first includes warm-up). A
 * collection inside a piece makes its figure smaller, never larger: compare pieces and builds, not absolute bytes.
 *
 *   bun bench/round-garbage.ts
 */
import { heapStats, memoryUsage } from "bun:jsc";
import { createBoundedWriter } from "../src/log/bounded-writer.ts";
import { createLogger } from "../src/log/logger.ts";
import { createRedactor } from "../src/log/redact.ts";
import { Registry } from "../src/metrics/registry.ts";
import { parseRedactedJson } from "../src/providers/kit/redact-answer.ts";
import { planRecordSet } from "../src/providers/kit/record-plan.ts";
import type { RecordRequest } from "../src/providers/kit/types.ts";

const MiB = 1024 * 1024;
const RECORDS = 1000;
const TOKEN = "bench-token-0123456789abcdefghijklmnopqrstuv";
const mib = (bytes: number) => (bytes / MiB).toFixed(2);

async function measure(name: string, piece: () => unknown): Promise<void> {
  const runs: string[] = [];
  for (let r = 0; r < 3; r++) {
    Bun.gc(true);
    const heap = heapStats().heapCapacity;
    const malloc = memoryUsage().current;
    await piece();
    runs.push(`heap +${mib(heapStats().heapCapacity - heap)} malloc +${mib(memoryUsage().current - malloc)}`);
  }
  console.log(`${name.padEnd(52)} ${runs.join(" | ")}`);
}

const name = (i: number) => `host${i}.zone${i % 10}.example`;
const address = (i: number) => `203.0.113.${1 + (i % 250)}`;
/** One record of the batch answer, shaped as the fake Cloudflare's (tests/fakes/cloudflare/fake-state.ts). */
const answered = (i: number) => ({
  id: `${i}`.padStart(32, "0"), zone_id: "f".repeat(32), zone_name: `zone${i % 10}.example`, name: name(i), type: "A",
  content: address(i + 1), proxiable: true, proxied: false, ttl: 1, comment: null, tags: [], settings: {}, meta: {},
  created_on: "2026-12-02T10:00:00.000Z", modified_on: "2026-12-02T10:00:01.000Z",
});
const batchAnswer = JSON.stringify({ success: true, errors: [], messages: [], result: { deletes: [], patches: Array.from({ length: RECORDS / 10 }, (_, i) => answered(i)), puts: [], posts: [] } });
const redact = createRedactor([TOKEN]);
const requests: RecordRequest[] = Array.from({ length: RECORDS }, (_, i) => ({ name: name(i), type: "A", content: address(i + 1), ttl: undefined }));
const held = requests.map((_, i) => [{ id: `${i}`, content: address(i), ttl: 1, proxied: false }]);
const log = createLogger({ level: "info", format: "text", secrets: [TOKEN], write: () => {} });
const registry = new Registry();
const updates = registry.counter("updates_total", "t");
const gauges = [registry.gauge("failing", "t"), registry.gauge("last_success", "t"), registry.gauge("not_owned", "t")] as const;
const writer = createBoundedWriter({ writeChunk: async (bytes) => bytes.length, maxBytes: MiB });

console.log(`one change of ${RECORDS} records (batch answers of ${batchAnswer.length} bytes each)`);
await measure("plans (planRecordSet)", () => requests.forEach((r, i) => planRecordSet(r, held[i]!)));
await measure("10 batch answers parsed and redacted", () => Array.from({ length: 10 }, () => parseRedactedJson(batchAnswer, redact)));
await measure("10 batch answers, JSON.parse alone", () => Array.from({ length: 10 }, () => JSON.parse(batchAnswer)));
await measure("'Updated …' lines through the logger", () => requests.forEach((r, i) => log.info(`Updated A record ${r.name}: ${address(i)} → ${r.content}`)));
await measure("lines through the bounded writer", async () => {
  requests.forEach((r, i) => writer.write(`INFO Updated A record ${r.name}: ${address(i)} → ${r.content}\n`));
  await writer.flush(1000);
});
await measure("metric series updates (4 per record)", () =>
  requests.forEach((r) => {
    updates.inc({ type: "A", result: "updated" });
    gauges[0].set(0, { record: r.name, type: "A" });
    gauges[1].set(1, { record: r.name, type: "A" });
    gauges[2].set(0, { type: "A" });
  }),
);
await measure("one /metrics render", () => registry.render());
