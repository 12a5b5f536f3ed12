/**
 * A rogue UPnP responder for the router lab: another host on the LAN (run with `ip netns exec` in a namespace from
 * lab.addLanHost) that answers every SSDP M-SEARCH at once — before the real router — with a LOCATION of its own,
 * and serves an IGD description whose WANIPConnection claims a fake external address. The router source must
 * believe only the gateway, so that address must never reach DNS.
 *
 *   bun tests/netns/rogue-igd.ts OWN_ADDRESS FAKE_EXTERNAL_ADDRESS
 *
 * Prints one JSON line per event: {"event":"ready","port":N}, {"event":"m-search","from":"…","st":"…"},
 * {"event":"http","method":"…","path":"…","action":"…"}. Messages and documents after UPnP Device Architecture 1.1
 * §1.3.3 (search response) and §2 (description), and the IGD WANIPConnection:1 service's GetExternalIPAddress.
 */
import dgram from "node:dgram";

const [own = "", fake = ""] = process.argv.slice(2);
if (!own || !fake) throw new Error("usage: rogue-igd.ts OWN_ADDRESS FAKE_EXTERNAL_ADDRESS");
const say = (event: object) => console.log(JSON.stringify(event));
const SERVICE = "urn:schemas-upnp-org:service:WANIPConnection:1";

const description = `<?xml version="1.0"?>
<root xmlns="urn:schemas-upnp-org:device-1-0"><specVersion><major>1</major><minor>0</minor></specVersion>
<device><deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType><friendlyName>totally the router</friendlyName>
<manufacturer>rogue</manufacturer><modelName>rogue</modelName><UDN>uuid:0badc0de-0000-4000-8000-000000000001</UDN>
<deviceList><device><deviceType>urn:schemas-upnp-org:device:WANDevice:1</deviceType><friendlyName>WAN</friendlyName>
<UDN>uuid:0badc0de-0000-4000-8000-000000000002</UDN>
<deviceList><device><deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:1</deviceType><friendlyName>WAN connection</friendlyName>
<UDN>uuid:0badc0de-0000-4000-8000-000000000003</UDN>
<serviceList><service><serviceType>${SERVICE}</serviceType><serviceId>urn:upnp-org:serviceId:WANIPConn1</serviceId>
<SCPDURL>/WANIPCn.xml</SCPDURL><controlURL>/ctl/IPConn</controlURL><eventSubURL>/evt/IPConn</eventSubURL></service></serviceList>
</device></deviceList></device></deviceList></device></root>
`;

const soap = (action: string, body: string) => `<?xml version="1.0"?>
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body>
<u:${action}Response xmlns:u="${SERVICE}">${body}</u:${action}Response></s:Body></s:Envelope>
`;

const http = Bun.serve({
  hostname: own,
  port: 0,
  async fetch(req) {
    const path = new URL(req.url).pathname;
    const action = /#(\w+)"?$/.exec(req.headers.get("soapaction") ?? "")?.[1] ?? "";
    say({ event: "http", method: req.method, path, action });
    const xml = (body: string) => new Response(body, { headers: { "Content-Type": 'text/xml; charset="utf-8"' } });
    if (req.method === "GET" && path === "/rootDesc.xml") return xml(description);
    if (req.method === "POST" && path === "/ctl/IPConn") {
      await req.text();
      if (action === "GetExternalIPAddress") return xml(soap(action, `<NewExternalIPAddress>${fake}</NewExternalIPAddress>`));
      if (action === "GetStatusInfo") return xml(soap(action, "<NewConnectionStatus>Connected</NewConnectionStatus><NewLastConnectionError>ERROR_NONE</NewLastConnectionError><NewUptime>1</NewUptime>"));
    }
    return new Response("not found", { status: 404 });
  },
});

const location = `http://${own}:${http.port}/rootDesc.xml`;
const replies = dgram.createSocket({ type: "udp4" });
replies.bind(0, own);
// A late answer to a socket the daemon already closed comes back as ICMP port unreachable (ECONNREFUSED).
replies.on("error", () => {});
const listener = dgram.createSocket({ type: "udp4", reuseAddr: true });
listener.on("error", () => {});
listener.on("message", (msg, rinfo) => {
  const text = msg.toString("latin1");
  if (!text.startsWith("M-SEARCH")) return;
  const st = /^ST:\s*(.+?)\s*$/im.exec(text)?.[1] ?? "upnp:rootdevice";
  say({ event: "m-search", from: `${rinfo.address}:${rinfo.port}`, st });
  const reply = ["HTTP/1.1 200 OK", "CACHE-CONTROL: max-age=120", `ST: ${st}`, `USN: uuid:0badc0de-0000-4000-8000-000000000001::${st}`, "EXT:", "SERVER: Linux/6 UPnP/1.1 rogue/1", `LOCATION: ${location}`, "", ""].join("\r\n");
  replies.send(reply, rinfo.port, rinfo.address);
});
listener.bind(1900, () => {
  listener.addMembership("239.255.255.250", own);
  say({ event: "ready", port: http.port });
});
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
