import { startFakeRouter } from "./fake-router.ts";
import { createRouterSource } from "../../src/ip/router/router-source.ts";
import { openUdpSocket } from "../../src/runtime/udp-socket.ts";
import { createMemoryLogger } from "../../src/log/logger.ts";

/**
 * The router source over PCP and over NAT-PMP against the loopback fake router, in whichever runtime runs this file
 * (tests/router/udp-socket-runtimes.test.ts runs it on Deno). Prints one JSON line: both detections.
 */
const router = await startFakeRouter({ external: "203.0.113.7" });
const results: unknown[] = [];
for (const protocol of ["pcp", "natpmp"] as const) {
  const source = createRouterSource({
    address: "127.0.0.1",
    protocols: [protocol],
    httpFallback: false,
    allowPrivate: false,
    openUdp: openUdpSocket,
    fetch,
    readFile: async () => "",
    randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
    userAgent: "ddnsd-loopback-probe",
    log: createMemoryLogger("error"),
    ports: { natpmp: router.port, pcp: router.port },
    ssdpGroup: null,
    timing: { initialMs: 50, budgetMs: 1000 },
  });
  results.push(await source.detect(4, new AbortController().signal));
}
await router.close();
console.log(JSON.stringify(results));
