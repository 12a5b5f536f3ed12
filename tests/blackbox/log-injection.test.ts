import { afterAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { assertNoSecretLeaked, runBinary, spawnDaemon } from "./harness.ts";
import { createIpEcho } from "../fakes/ip-echo.ts";

/**
 * Log injection, from outside: values the daemon does not control (an environment variable's *name*, a record's
 * content as a provider returns it) must never start a line of their own in the text log.
 */
setDefaultTimeout(30_000);
afterAll(() => assertNoSecretLeaked());

const FORGED = "INFO Forged line";
const TOKEN = "log-injection-token-5ecret";
const forgedLines = (lines: string[]) => lines.filter((l) => l.startsWith("INFO Forged"));

/** A PowerDNS API that holds `home.example.com` A with the content given, and accepts any change; plus an IP echo. */
function startPowerDnsWithContent(content: string) {
  const ip = createIpEcho({ v4: "203.0.113.7" });
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch(req) {
      const echoed = ip.handle(req);
      if (echoed) return echoed;
      const path = new URL(req.url).pathname;
      if (req.headers.get("x-api-key") !== TOKEN) return Response.json({ error: "Unauthorized" }, { status: 401 });
      if (path === "/api/v1/servers/localhost/zones") return Response.json([{ id: "example.com.", name: "example.com." }]);
      if (path !== "/api/v1/servers/localhost/zones/example.com.") return Response.json({ error: "Not Found" }, { status: 404 });
      if (req.method === "PATCH") return new Response(null, { status: 204 });
      const records = [{ content, disabled: false }];
      return Response.json({ name: "example.com.", rrsets: [{ name: "home.example.com.", type: "A", ttl: 60, records }] });
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, stop: () => server.stop(true) };
}

const base = {
  DDNS_PROVIDER_TYPE: "cloudflare",
  DDNS_PROVIDER_API_TOKEN: TOKEN,
  DDNS_RECORDS: "home.example.com",
  DDNS_IP_VERSIONS: "4",
  DDNS_HTTP_ADDR: "off",
};

describe("text log lines cannot be forged from outside", () => {
  it("escapes a newline in an environment variable's name in the daemon's warning", async () => {
    const d = spawnDaemon([], { ...base, DDNS_IP_SOURCE_URLS_V4: "http://127.0.0.1:9/", [`DDNS_X\n${FORGED}`]: "1" });
    await d.waitForLine("INFO Ready to monitor IP changes");
    d.kill("SIGTERM");
    expect(await d.exited()).toBe(0);
    expect(d.lines).toContain(`WARN Unknown variable DDNS_X\\n${FORGED} is ignored`);
    expect(forgedLines(d.lines)).toEqual([]);
  });

  it("escapes a newline in an environment variable's name in `check`", async () => {
    const { code, lines } = await runBinary(["check"], { ...base, [`DDNS_X\r\n${FORGED}`]: "1" });
    expect(code).toBe(0);
    expect(lines).toContain(`warning: Unknown variable DDNS_X\\r\\n${FORGED} is ignored`);
    expect(forgedLines(lines)).toEqual([]);
  });

  it("escapes CR LF in a record's content as the provider returns it", async () => {
    const pdns = startPowerDnsWithContent(`203.0.113.9\r\n${FORGED}`);
    try {
      const d = spawnDaemon([], { ...base, DDNS_PROVIDER_TYPE: "powerdns", DDNS_PROVIDER_API_URL: pdns.url, DDNS_IP_SOURCE_URLS_V4: `${pdns.url}/v4`, DDNS_POLL_INTERVAL: "1h" });
      await d.waitForLine("home.example.com: 203.0.113.9");
      d.kill("SIGTERM");
      expect(await d.exited()).toBe(0);
      expect(d.lines.find((l) => l.includes("home.example.com: 203.0.113.9"))).toContain(`203.0.113.9\\r\\n${FORGED} → 203.0.113.7`);
      expect(forgedLines(d.lines)).toEqual([]);
    } finally {
      pdns.stop();
    }
  });
});
