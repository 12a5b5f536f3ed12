/**
 * A hostile router for the router lab: run in the router namespace instead of miniupnpd, on the router's LAN
 * address, it answers every NAT-PMP/PCP request on UDP 5351, every M-SEARCH on 1900 and every HTTP request with
 * garbage — random bytes, and near-valid messages broken in one place (a wrong length, a failing result code, a
 * non-address in NewExternalIPAddress) so that the parsers are exercised past their first check. No answer it gives
 * is a valid success carrying a publishable address: whatever dist/ddnsd writes to DNS is a defect.
 *
 *   bun tests/netns/hostile-router.ts ROUTER_ADDRESS SEED
 *
 * Prints {"event":"ready","port":N} and then one {"event":…} line per answer (counts only, not the bytes).
 */
import dgram from "node:dgram";

const [router = "", seedArg = "1"] = process.argv.slice(2);
let seed = Number(seedArg) >>> 0 || 1;
/** xorshift32: the same seed gives the same garbage. */
const rand = () => {
  seed ^= seed << 13;
  seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed / 0x100000000;
};
const int = (n: number) => Math.floor(rand() * n);
const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
const say = (event: object) => console.log(JSON.stringify(event));

/** Never an address ddnsd may publish. */
const NOT_PUBLISHABLE = ["", "0.0.0.0", "10.1.2.3", "100.64.0.9", "192.168.77.1", "127.0.0.1", "255.255.255.255", "999.1.1.1", "1.2.3", "203.0.113.5\u001b[31m", "::1", "a".repeat(5000), "203.0.113.5 203.0.113.6", "<x>203.0.113.5</x>", "\u0000"];

function natPmpOrPcp(request: Uint8Array): Uint8Array {
  const shape = int(5);
  if (shape === 0) return bytes(int(1200));
  const version = request[0] === 2 ? 2 : 0;
  // Success (result 0) only when truncated; a full-length (or longer) answer always carries a failing result code.
  // (The MAP nonce of a long PCP answer is random, so it never matches the request's.)
  const success = int(2) === 0;
  const out = bytes(version === 2 ? (success ? pick([24, 59]) : pick([24, 60, 61, 1100])) : success ? pick([8, 11]) : pick([12, 13, 16]));
  out[0] = shape === 1 ? int(256) : version;
  out[1] = ((request[1] ?? 0) | 0x80) & 0xff;
  if (version === 0) out[2] = 0;
  out[3] = success ? 0 : 1 + int(13);
  return out;
}

let port = 0;
const http = Bun.serve({
  hostname: router,
  port: 0,
  fetch(req): Response {
    const path = new URL(req.url).pathname;
    say({ event: "http", path });
    const kind = int(6);
    if (kind === 0) return new Response(bytes(int(3000)));
    if (kind === 1) return new Response("x".repeat(int(200_000)), { status: pick([200, 500, 302]) });
    if (path === "/desc.xml" && kind < 4) {
      const control: string = pick(["/ctl", `http://${router}:${port}/ctl`, "http://198.51.100.9/ctl", "javascript:alert(1)", "/ctl\r\nX: y"]);
      return new Response(
        `<?xml version="1.0"?><root><device><deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType><deviceList><device><deviceList><device><serviceList><service><serviceType>urn:schemas-upnp-org:service:${pick(["WANIPConnection:1", "WANPPPConnection:1", "WANIPConnection:2", "Bogus:1"])}</serviceType><controlURL>${control}</controlURL></service></serviceList></device></deviceList></device></deviceList></device></root>`,
      );
    }
    const value = pick(NOT_PUBLISHABLE);
    return new Response(
      `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><u:GetExternalIPAddressResponse xmlns:u="urn:schemas-upnp-org:service:WANIPConnection:1"><NewExternalIPAddress>${value}</NewExternalIPAddress></u:GetExternalIPAddressResponse></s:Body></s:Envelope>`,
      { status: pick([200, 200, 500]) },
    );
  },
});

port = http.port ?? 0;
const udp = dgram.createSocket("udp4");
udp.on("message", (msg, rinfo) => {
  udp.send(natPmpOrPcp(msg), rinfo.port, rinfo.address);
  say({ event: "udp", port: 5351 });
});
// A late answer to a socket the daemon already closed comes back as ICMP port unreachable (ECONNREFUSED): not an error here.
udp.on("error", () => {});
udp.bind(5351, router);

const ssdp = dgram.createSocket({ type: "udp4", reuseAddr: true });
ssdp.on("message", (msg, rinfo) => {
  if (!msg.toString("latin1").startsWith("M-SEARCH")) return;
  const location = pick([`http://${router}:${port}/desc.xml`, `http://${router}:${port}/desc.xml`, `http://${router}:${port}/desc.xml`, "http://198.51.100.9/desc.xml", "ftp://x/", ""]);
  const st = /^ST:\s*(.+?)\s*$/im.exec(msg.toString("latin1"))?.[1] ?? "";
  const pad = Array.from({ length: int(30) }, (_, i) => `X-Pad-${i}: ${"y".repeat(int(40))}\r\n`).join("");
  const reply = int(5) === 0 ? bytes(int(1500)) : new TextEncoder().encode(`HTTP/1.1 200 OK\r\nST: ${pick([st, st, st, "x"])}\r\nLOCATION: ${location}\r\n${pad}\r\n`);
  ssdp.send(reply, rinfo.port, rinfo.address);
  say({ event: "ssdp" });
});
ssdp.on("error", () => {});
ssdp.bind(1900, () => {
  ssdp.addMembership("239.255.255.250", router);
  say({ event: "ready", port: http.port });
});
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
