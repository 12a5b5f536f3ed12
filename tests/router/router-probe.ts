import { readFile } from "node:fs/promises";
import { createRouterSource } from "../../src/ip/router/router-source.ts";
import type { RouterProtocol } from "../../src/ip/router/router-types.ts";
import { openUdpSocket } from "../../src/runtime/udp-socket.ts";
import { createMemoryLogger } from "../../src/log/logger.ts";

/**
 * Runs ddnsd's router source in this process (the router lab runs it in the client namespace):
 * `bun tests/router/router-probe.ts <protocols> [detections]` — the router is the default gateway of this namespace,
 * ports and the SSDP group are the real ones (5351, 1900, 239.255.255.250). Prints one JSON line per detection:
 * the detection, how many foreign answers were ignored, and the log lines.
 */
const protocols = (process.argv[2] ?? "pcp,natpmp,igd").split(",") as RouterProtocol[];
const rounds = Number(process.argv[3] ?? 1);
const log = createMemoryLogger("debug");
const source = createRouterSource({
  protocols,
  httpFallback: false,
  allowPrivate: false,
  openUdp: openUdpSocket,
  fetch,
  readFile: (path) => readFile(path, "utf8"),
  randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
  userAgent: "ddnsd-router-probe",
  log,
});
for (let i = 0; i < rounds; i++) {
  const detection = await source.detect(4, new AbortController().signal);
  console.log(JSON.stringify({ detection, ignored: source.ignoredCount(), log: log.lines.splice(0) }));
}
