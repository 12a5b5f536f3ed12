import { afterEach, describe, expect, it } from "bun:test";
import { createRouterSource, type RouterSourceDeps } from "../../src/ip/router/router-source.ts";
import type { RouterProtocol } from "../../src/ip/router/router-types.ts";
import { openUdpSocket } from "../../src/runtime/udp-socket.ts";
import { createMemoryLogger } from "../../src/log/logger.ts";
import { startFakeRouter, type FakeRouter, type FakeRouterOptions } from "./fake-router.ts";
import { startFakeIgd, type FakeIgd, type FakeIgdOptions } from "./fake-igd.ts";

/** The router source against loopback routers: NAT-PMP/PCP on one UDP port, IGD as SSDP + HTTP, all on 127.0.0.1. */
let open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.map((o) => o.close()));
  open = [];
});

async function lab(o: { udp?: Partial<FakeRouterOptions>; igd?: Partial<FakeIgdOptions>; external?: string; protocols?: RouterProtocol[]; httpFallback?: boolean; fetch?: typeof fetch } = {}) {
  const external = o.external ?? "203.0.113.7";
  const router: FakeRouter = await startFakeRouter({ external, ...o.udp });
  const igd: FakeIgd = await startFakeIgd({ external, ...o.igd });
  open.push(router, igd);
  const log = createMemoryLogger();
  const deps: RouterSourceDeps = {
    address: "127.0.0.1",
    protocols: o.protocols ?? ["pcp", "natpmp", "igd"],
    httpFallback: o.httpFallback ?? false,
    allowPrivate: false,
    openUdp: openUdpSocket,
    fetch: o.fetch ?? fetch,
    readFile: async () => "",
    randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
    userAgent: "ddnsd-test",
    log,
    ports: { natpmp: router.port, pcp: router.port, ssdp: igd.ssdpPort },
    ssdpGroup: null,
    timing: { initialMs: 20, budgetMs: 150 },
  };
  const source = createRouterSource(deps);
  const detect = () => source.detect(4, new AbortController().signal);
  return { router, igd, log, source, detect };
}

const asked = (r: FakeRouter) => r.requests.map((q) => `${q.protocol}:${q.opcode}${q.lifetime === undefined ? "" : `/${q.lifetime}`}`);

describe("the router source", () => {
  it("reads the address over PCP: ANNOUNCE, a short MAP, and the MAP deleted at once", async () => {
    const { router, log, detect } = await lab();
    expect(await detect()).toEqual({ ok: true, family: 4, address: "203.0.113.7", source: "router 127.0.0.1 (PCP)" });
    expect(asked(router)).toEqual(["pcp:0/0", "pcp:1/60", "pcp:1/0"]);
    expect(log.lines).toContain("INFO Router 127.0.0.1 (DDNS_IP_SOURCE_ROUTER_ADDRESS) answers over PCP");
  });

  it("moves on to NAT-PMP at once when a NAT-PMP-only router answers PCP with UNSUPP_VERSION", async () => {
    const { router, detect } = await lab({ udp: { pcp: "natpmp-only" } });
    const started = performance.now();
    expect(await detect()).toMatchObject({ ok: true, address: "203.0.113.7", source: "router 127.0.0.1 (NAT-PMP)" });
    expect(performance.now() - started).toBeLessThan(140); // no PCP timeout was waited for
    expect(asked(router)).toEqual(["pcp:0/0", "natpmp:0"]);
  });

  it("falls through to UPnP IGD when neither PCP nor NAT-PMP answers", async () => {
    const { igd, detect } = await lab({ udp: { pcp: "off", natpmp: "off" } });
    expect(await detect()).toMatchObject({ ok: true, address: "203.0.113.7", source: "router 127.0.0.1 (UPnP IGD)" });
    expect(igd.searches).toContain("urn:schemas-upnp-org:service:WANIPConnection:1");
    expect(igd.soapCalls).toHaveLength(1);
  });

  it("asks the protocol that worked first next time, and follows a change of the WAN address", async () => {
    const { router, detect } = await lab({ udp: { pcp: "off" } });
    expect(await detect()).toMatchObject({ ok: true, address: "203.0.113.7" });
    router.requests.length = 0;
    router.set({ external: "198.51.100.23" });
    expect(await detect()).toMatchObject({ ok: true, address: "198.51.100.23", source: "router 127.0.0.1 (NAT-PMP)" });
    expect(asked(router)).toEqual(["natpmp:0"]);
  });

  it("warns once when the protocol that worked stops answering and another takes over", async () => {
    const { router, log, detect } = await lab({ udp: { pcp: "off" } });
    await detect();
    router.set({ natpmp: "off", pcp: "on" });
    expect(await detect()).toMatchObject({ ok: true, source: "router 127.0.0.1 (PCP)" });
    await detect();
    const warnings = log.lines.filter((l) => l.startsWith("WARN"));
    expect(warnings).toEqual(["WARN Router 127.0.0.1 no longer answers over NAT-PMP (no NAT-PMP answer from 127.0.0.1:" + router.port + " (no answer within 0.15s)); using PCP instead"]);
  });

  it("moves on at once when the router refuses the port (ICMP port unreachable), without waiting out the budget", async () => {
    const closed = await startFakeRouter({ external: "203.0.113.1" });
    const port = closed.port;
    await closed.close();
    const refused = createRouterSource({ address: "127.0.0.1", protocols: ["natpmp"], httpFallback: true, allowPrivate: false, openUdp: openUdpSocket, fetch, readFile: async () => "", randomBytes: (n) => new Uint8Array(n), userAgent: "t", log: createMemoryLogger(), ports: { natpmp: port }, ssdpGroup: null, timing: { initialMs: 1000, budgetMs: 5000 } });
    const started = performance.now();
    expect(await refused.detect(4, new AbortController().signal)).toMatchObject({ ok: false, error: `the router 127.0.0.1 (DDNS_IP_SOURCE_ROUTER_ADDRESS) gave no address over NAT-PMP (NAT-PMP: no NAT-PMP answer from 127.0.0.1:${port} (refused: nothing listens there (ICMP port unreachable)))` });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("tries the protocols in the configured order", async () => {
    const { router, igd, detect } = await lab({ protocols: ["igd", "natpmp"] });
    expect(await detect()).toMatchObject({ ok: true, source: "router 127.0.0.1 (UPnP IGD)" });
    expect(router.requests).toEqual([]);
    expect(igd.soapCalls).toHaveLength(1);
  });

  it("remembers the IGD control URL: the next detection is one SOAP call, and discovery runs again when it stops answering", async () => {
    let refuse = false;
    const flaky = (async (input: string | URL | Request, init?: RequestInit) => {
      if (refuse && init?.method === "POST") {
        refuse = false;
        throw Object.assign(new TypeError("fetch failed"), { code: "ECONNREFUSED" });
      }
      return fetch(input, init);
    }) as typeof fetch;
    const { igd, detect } = await lab({ protocols: ["igd"], fetch: flaky });
    await detect();
    const searches = igd.searches.length;
    igd.set({ external: "198.51.100.8" });
    expect(await detect()).toMatchObject({ ok: true, address: "198.51.100.8" });
    expect({ searches: igd.searches.length, soap: igd.soapCalls.length }).toEqual({ searches, soap: 2 });
    refuse = true;
    expect(await detect()).toMatchObject({ ok: true, address: "198.51.100.8" });
    expect(igd.searches.length).toBeGreaterThan(searches);
    expect(igd.soapCalls).toHaveLength(3);
  });

  it("words an IGD fault for the operator", async () => {
    const { detect } = await lab({ protocols: ["igd"], igd: { fault: { code: 501, description: "Action Failed" } } });
    expect(await detect()).toMatchObject({ ok: false, error: expect.stringContaining('UPnP IGD: the router could not run GetExternalIPAddress (action failed) (UPnPError errorCode "501" "Action Failed")') });
  });

  it("names every protocol and what went wrong when none answers, and asks for the http fallback", async () => {
    const { router, igd, detect } = await lab({ udp: { pcp: "off", natpmp: "off" }, igd: { ssdp: false } });
    const p = router.port;
    expect(await detect()).toEqual({
      ok: false,
      family: 4,
      wantsFallback: true,
      error:
        `the router 127.0.0.1 (DDNS_IP_SOURCE_ROUTER_ADDRESS) gave no address over PCP, NAT-PMP, UPnP IGD (PCP: no PCP answer from 127.0.0.1:${p} (no answer within 0.15s); ` +
        `NAT-PMP: no NAT-PMP answer from 127.0.0.1:${p} (no answer within 0.15s); UPnP IGD: no UPnP gateway answered SSDP M-SEARCH from 127.0.0.1 (no answer within 0.15s; is UPnP enabled on the router?)); ` +
        "set DDNS_IP_SOURCE_HTTP_FALLBACK=true to ask the http source instead",
    });
    // Each of the three search targets, retransmitted within the budget.
    expect([...new Set(igd.searches)].sort()).toEqual([
      "urn:schemas-upnp-org:service:WANIPConnection:1",
      "urn:schemas-upnp-org:service:WANIPConnection:2",
      "urn:schemas-upnp-org:service:WANPPPConnection:1",
    ]);
    expect(igd.searches.length).toBeGreaterThanOrEqual(6);
  });

  it.each([
    { name: "a CGNAT address", external: "100.64.1.2", kind: "a CGNAT (100.64.0.0/10) address" },
    { name: "a private address", external: "192.168.0.2", kind: "a private (RFC 1918) address" },
  ])("calls $name double NAT in one line that names DDNS_IP_SOURCE_HTTP_FALLBACK", async ({ external, kind }) => {
    const { detect } = await lab({ external });
    expect(await detect()).toEqual({
      ok: false,
      family: 4,
      wantsFallback: true,
      error: `the router 127.0.0.1 (DDNS_IP_SOURCE_ROUTER_ADDRESS) reports ${external} over PCP, ${kind}: double NAT — the router is itself behind another NAT (often the carrier's), so this is not the public address; set DDNS_IP_SOURCE_HTTP_FALLBACK=true to ask the http source instead`,
    });
  });

  it.each([
    { name: "0.0.0.0 as no WAN address yet", external: "0.0.0.0", error: "the router 127.0.0.1 (DDNS_IP_SOURCE_ROUTER_ADDRESS) reports 0.0.0.0 over PCP: it has no WAN address yet (is the uplink down?)" },
    { name: "a loopback address as unpublishable", external: "127.0.0.9", error: 'the router 127.0.0.1 (DDNS_IP_SOURCE_ROUTER_ADDRESS) answers over PCP, but "127.0.0.9" is a loopback address, which cannot be published' },
  ])("words $name, not as double NAT", async ({ external, error }) => {
    const { detect } = await lab({ external });
    expect(await detect()).toEqual({ ok: false, family: 4, wantsFallback: true, error: `${error}; set DDNS_IP_SOURCE_HTTP_FALLBACK=true to ask the http source instead` });
  });

  it("with DDNS_IP_SOURCE_HTTP_FALLBACK=true, says once per situation that it asks the http source", async () => {
    const { router, igd, log, detect } = await lab({ external: "100.64.1.2", httpFallback: true });
    expect(await detect()).toMatchObject({ ok: false, wantsFallback: true, error: expect.not.stringContaining("set DDNS_IP_SOURCE_HTTP_FALLBACK") });
    await detect();
    router.set({ external: "100.64.9.9" }); // still double NAT: the same situation
    await detect();
    router.set({ pcp: "off", natpmp: "off" });
    igd.set({ ssdp: false });
    await detect();
    await detect();
    const said = log.lines.filter((l) => l.includes("asking the http source"));
    expect(said).toHaveLength(2);
    expect(said[0]).toBe(
      "INFO The router 127.0.0.1 (DDNS_IP_SOURCE_ROUTER_ADDRESS) reports 100.64.1.2 over PCP, a CGNAT (100.64.0.0/10) address: double NAT — the router is itself behind another NAT (often the carrier's), so this is not the public address; asking the http source (DDNS_IP_SOURCE_HTTP_FALLBACK=true)",
    );
    expect(said[1]).toStartWith("INFO The router 127.0.0.1 (DDNS_IP_SOURCE_ROUTER_ADDRESS) gave no address over PCP, NAT-PMP, UPnP IGD (");
  });

  it("says a double-NAT answer in its one line (no \"answers over\" before it), and the first public answer once", async () => {
    const { router, log, detect } = await lab({ external: "100.64.1.2" });
    await detect();
    expect(log.lines.filter((l) => !l.startsWith("DEBUG"))).toEqual([]); // the engine writes the failure's one line
    router.set({ external: "203.0.113.31" });
    expect(await detect()).toMatchObject({ ok: true, address: "203.0.113.31" });
    router.set({ external: "203.0.113.32" });
    await detect();
    expect(log.lines.filter((l) => !l.startsWith("DEBUG"))).toEqual(["INFO Router 127.0.0.1 (DDNS_IP_SOURCE_ROUTER_ADDRESS) answers over PCP"]);
  });

  it("without the fallback, warns itself only when the situation changes within a failure streak (the engine says the first)", async () => {
    const { router, igd, log, detect } = await lab({ external: "100.64.1.2" });
    await detect();
    await detect();
    router.set({ pcp: "off", natpmp: "off" });
    igd.set({ ssdp: false });
    await detect();
    await detect();
    router.set({ pcp: "on", external: "203.0.113.30" });
    expect(await detect()).toMatchObject({ ok: true, address: "203.0.113.30" });
    router.set({ external: "100.64.1.2" });
    await detect(); // a new streak: the engine's line, not the source's
    const warnings = log.lines.filter((l) => l.startsWith("WARN"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toStartWith("WARN Still no IPv4 address: the router 127.0.0.1 (DDNS_IP_SOURCE_ROUTER_ADDRESS) gave no address over PCP, NAT-PMP, UPnP IGD (");
    expect(warnings[0]).toEndWith("; set DDNS_IP_SOURCE_HTTP_FALLBACK=true to ask the http source instead");
  });

  it("ignores SSDP answers from another host and counts them, said once at debug", async () => {
    const { source, log, detect } = await lab({ protocols: ["igd"], igd: { answerFrom: "127.0.0.2" } });
    expect(await detect()).toMatchObject({ ok: false, error: expect.stringContaining("no UPnP gateway answered SSDP M-SEARCH") });
    expect(source.ignoredCount()).toBeGreaterThanOrEqual(2);
    expect(log.lines.filter((l) => l.includes("ignored"))).toEqual([
      "DEBUG Router source: ignored an SSDP answer from 127.0.0.2, not the router; only the router's own answers are believed (later ones are counted, not logged)",
    ]);
  });

  it("does not follow a description URL that points at another host", async () => {
    const { igd, source, detect } = await lab({ protocols: ["igd"], igd: { location: (base) => base.replace("127.0.0.1", "127.0.0.2") + "/rootDesc.xml" } });
    expect(await detect()).toMatchObject({ ok: false });
    expect(igd.soapCalls).toEqual([]);
    expect(source.ignoredCount()).toBeGreaterThanOrEqual(1);
  });

  it("has no IPv6 answer", async () => {
    const { source } = await lab();
    expect(await source.detect(6, new AbortController().signal)).toMatchObject({ ok: false, error: expect.stringContaining("the router source reads only IPv4") });
  });

  it("without a router address or default route, fails the detection with one line saying what to set", async () => {
    const { log } = await lab();
    const source = createRouterSource({ protocols: ["natpmp"], httpFallback: false, allowPrivate: false, openUdp: openUdpSocket, fetch, readFile: async () => "Iface\tDestination\n", randomBytes: (n) => new Uint8Array(n), userAgent: "t", log });
    expect(await source.detect(4, new AbortController().signal)).toEqual({
      ok: false,
      family: 4,
      wantsFallback: true,
      error: "no router to ask: this host has no IPv4 default route; set DDNS_IP_SOURCE_ROUTER_ADDRESS to the router's LAN address",
    });
  });
});
