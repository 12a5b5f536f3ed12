import { describe, expect, it } from "bun:test";
import { createRouterSource } from "../../src/ip/router/router-source.ts";
import type { RouterProtocol } from "../../src/ip/router/router-types.ts";
import type { OpenUdp, UdpPeer } from "../../src/ip/router/udp-types.ts";
import { createMemoryLogger } from "../../src/log/logger.ts";
import { createFakeClock } from "./fake-clock.ts";

/**
 * One deadline for a whole router detection (5 s by default): against a router that stays silent, or answers PCP
 * ANNOUNCE and then nothing, the detection ends within the deadline however many protocols and steps there are —
 * each protocol's first exchange gets its share of what is left, later steps what remains. Time is a fake clock
 * (tests/router/fake-clock.ts) driven by the test: nothing waits on the wall clock.
 */

const ROUTER = "192.0.2.1";

/** UDP sockets on which the router answers only what `answer` returns (from the port the request went to). */
function scriptedUdp(answer: (request: Uint8Array, to: UdpPeer) => Uint8Array | undefined): { openUdp: OpenUdp; sent: string[] } {
  const sent: string[] = [];
  const openUdp: OpenUdp = async (options) => {
    const handlers: Array<(bytes: Uint8Array, from: UdpPeer) => void> = [];
    return {
      local: { address: "192.0.2.2", port: 40_000 },
      async send(bytes, to) {
        const peer = options.connect ?? to;
        sent.push(`${peer.port}:${bytes[0]}/${bytes[1]}`);
        const reply = answer(bytes, peer);
        if (reply) queueMicrotask(() => handlers.forEach((h) => h(reply, peer)));
      },
      onMessage: (h) => void handlers.push(h),
      onError: () => {},
      close: () => void (handlers.length = 0),
    };
  };
  return { openUdp, sent };
}

/** A PCP ANNOUNCE success answer (RFC 6887 §7.2: version 2, R=1 opcode 0, result 0), 24 bytes. */
const ANNOUNCE_ANSWER = new Uint8Array([2, 0x80, 0, 0, ...new Array<number>(20).fill(0)]);
const isAnnounce = (b: Uint8Array) => b[0] === 2 && b[1] === 0;

function source(protocols: RouterProtocol[], answer: Parameters<typeof scriptedUdp>[0], deadlineMs?: number) {
  const clock = createFakeClock();
  const udp = scriptedUdp(answer);
  const s = createRouterSource({
    address: ROUTER,
    protocols,
    httpFallback: false,
    allowPrivate: false,
    openUdp: udp.openUdp,
    fetch: (async () => Promise.reject(new Error("no HTTP in this test"))) as unknown as typeof fetch,
    readFile: async () => Promise.reject(new Error("no file in this test")),
    randomBytes: (n) => new Uint8Array(n),
    userAgent: "t",
    log: createMemoryLogger(),
    ssdpGroup: null,
    clock,
    ...(deadlineMs !== undefined ? { timing: { initialMs: 250, budgetMs: 2000, deadlineMs } } : {}),
  });
  const detect = async () => {
    const started = clock.now();
    const d = await clock.settle(s.detect(4, new AbortController().signal));
    return { d, tookMs: clock.now() - started };
  };
  return { detect, sent: udp.sent };
}

const SILENT = "the router 192.0.2.1 (DDNS_IP_SOURCE_ROUTER_ADDRESS) gave no address over";

describe("the router detection's one deadline", () => {
  it.each([
    {
      name: "a silent router, every protocol: the three share the 5 s",
      protocols: ["pcp", "natpmp", "igd"] as RouterProtocol[],
      answer: () => undefined,
      tookMs: 5000,
      error:
        `${SILENT} PCP, NAT-PMP, UPnP IGD (PCP: no PCP answer from ${ROUTER}:5351 (no answer within 1.6s); NAT-PMP: no NAT-PMP answer from ${ROUTER}:5351 (no answer within 1.7s); ` +
        `UPnP IGD: no UPnP gateway answered SSDP M-SEARCH from ${ROUTER} (no answer within 1.7s; is UPnP enabled on the router?))`,
    },
    {
      name: "PCP answers ANNOUNCE, then nothing: MAP takes 2 s, the others share the rest",
      protocols: ["pcp", "natpmp", "igd"] as RouterProtocol[],
      answer: (b: Uint8Array) => (isAnnounce(b) ? ANNOUNCE_ANSWER : undefined),
      tookMs: 5000,
      error:
        `${SILENT} PCP, NAT-PMP, UPnP IGD (PCP: the router answered PCP ANNOUNCE but not MAP at ${ROUTER}:5351 (no answer within 2s); NAT-PMP: no NAT-PMP answer from ${ROUTER}:5351 (no answer within 1.5s); ` +
        `UPnP IGD: no UPnP gateway answered SSDP M-SEARCH from ${ROUTER} (no answer within 1.5s; is UPnP enabled on the router?))`,
    },
    {
      name: "one silent protocol: one exchange's 2 s, not the whole deadline",
      protocols: ["natpmp"] as RouterProtocol[],
      answer: () => undefined,
      tookMs: 2000,
      error: `${SILENT} NAT-PMP (NAT-PMP: no NAT-PMP answer from ${ROUTER}:5351 (no answer within 2s))`,
    },
  ])("$name", async ({ protocols, answer, tookMs, error }) => {
    const { detect } = source(protocols, answer);
    const { d, tookMs: took } = await detect();
    expect(d).toEqual({ ok: false, family: 4, wantsFallback: true, error: `${error}; set DDNS_IP_SOURCE_HTTP_FALLBACK=true to ask the http source instead` });
    expect(took).toBe(tookMs);
  });

  it("a protocol whose turn comes after the deadline is not asked, and the line says so", async () => {
    const { detect, sent } = source(["pcp", "natpmp"], (b) => (isAnnounce(b) ? ANNOUNCE_ANSWER : undefined), 2000);
    const { d, tookMs } = await detect();
    expect(tookMs).toBe(2000);
    expect(d).toMatchObject({
      ok: false,
      error: `${SILENT} PCP, NAT-PMP (PCP: the router answered PCP ANNOUNCE but not MAP at ${ROUTER}:5351 (no answer within 2s); NAT-PMP: not asked (the detection's 2s deadline had passed)); set DDNS_IP_SOURCE_HTTP_FALLBACK=true to ask the http source instead`,
    });
    expect(sent.filter((s) => s.endsWith(":0/0"))).toEqual([]); // no NAT-PMP request (version 0, opcode 0) went out
  });

  it("retransmits within a share as RFC 6886 §3.1 says: at once, after 250 ms, then doubling", async () => {
    const { detect, sent } = source(["natpmp"], () => undefined);
    await detect();
    expect(sent).toEqual(["5351:0/0", "5351:0/0", "5351:0/0", "5351:0/0"]); // 0, 250, 750, 1750 ms; the budget ends at 2000
  });
});
