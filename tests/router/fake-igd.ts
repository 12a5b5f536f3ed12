import dgram from "node:dgram";

/**
 * A loopback UPnP Internet Gateway Device, written from UPnP Device Architecture 1.1 §1.3 (SSDP search and its
 * answer), §2.3 (device description) and §3.2 (SOAP control, faults with UPnPError), and WANIPConnection:1 §2.4.18
 * (GetExternalIPAddress → NewExternalIPAddress), read 2026-12-02. SSDP answers go to the searcher's address and port
 * from the SSDP socket (or, with `answerFrom`, from a socket on another address: another host of the LAN). The HTTP
 * server serves the description at /rootDesc.xml and the control URL at /ctl/IPConn; SOAP requests are strict
 * (POST, the SOAPAction header of the service, the action in the body) and kept in `soapCalls`.
 */
export interface FakeIgdOptions {
  external: string;
  serviceType?: string;
  /** Replace the description's XML. */
  description?: (httpBase: string) => string;
  /** Answer GetExternalIPAddress with this UPnPError instead. */
  fault?: { code: number; description: string };
  /** SSDP answers come from a socket bound here (another LAN host) instead of the SSDP socket. */
  answerFrom?: string;
  /** LOCATION written in SSDP answers (default: the HTTP server's description URL). */
  location?: (httpBase: string) => string;
  ssdp?: boolean;
}

export interface FakeIgd {
  ssdpPort: number;
  httpBase: string;
  searches: string[];
  soapCalls: Array<{ soapAction: string | null; body: string }>;
  set(options: Partial<FakeIgdOptions>): void;
  close(): Promise<void>;
}

export function descriptionXml(httpBase: string, serviceType: string): string {
  return `<?xml version="1.0"?>
<root xmlns="urn:schemas-upnp-org:device-1-0"><specVersion><major>1</major><minor>1</minor></specVersion>
<device><deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType><friendlyName>Fake &amp; Router</friendlyName>
<serviceList><service><serviceType>urn:schemas-upnp-org:service:Layer3Forwarding:1</serviceType><controlURL>/ctl/L3F</controlURL></service></serviceList>
<deviceList><device><deviceType>urn:schemas-upnp-org:device:WANDevice:1</deviceType>
<serviceList><service><serviceType>urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1</serviceType><controlURL>/ctl/CmnIfCfg</controlURL></service></serviceList>
<deviceList><device><deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:1</deviceType>
<serviceList><service><serviceType>${serviceType}</serviceType><serviceId>urn:upnp-org:serviceId:WANIPConn1</serviceId>
<controlURL>/ctl/IPConn</controlURL><eventSubURL>/evt/IPConn</eventSubURL><SCPDURL>/WANIPCn.xml</SCPDURL></service></serviceList>
</device></deviceList></device></deviceList></device></root>`;
}

export async function startFakeIgd(initial: FakeIgdOptions): Promise<FakeIgd> {
  const o: FakeIgdOptions = { serviceType: "urn:schemas-upnp-org:service:WANIPConnection:1", ssdp: true, ...initial };
  const soapCalls: FakeIgd["soapCalls"] = [];
  const searches: string[] = [];
  const server: ReturnType<typeof Bun.serve> = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: async (req): Promise<Response> => {
      const url = new URL(req.url);
      const base: string = `http://127.0.0.1:${server.port}`;
      if (req.method === "GET" && url.pathname === "/rootDesc.xml") {
        return new Response(o.description ? o.description(base) : descriptionXml(base, o.serviceType!), { headers: { "content-type": 'text/xml; charset="utf-8"' } });
      }
      if (req.method === "POST" && url.pathname === "/ctl/IPConn") {
        const body = await req.text();
        const soapAction = req.headers.get("soapaction");
        soapCalls.push({ soapAction, body });
        if (soapAction !== `"${o.serviceType}#GetExternalIPAddress"` || !body.includes("GetExternalIPAddress")) return new Response("bad action", { status: 400 });
        if (o.fault) {
          const fault = `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring><detail><UPnPError xmlns="urn:schemas-upnp-org:control-1-0"><errorCode>${o.fault.code}</errorCode><errorDescription>${o.fault.description}</errorDescription></UPnPError></detail></s:Fault></s:Body></s:Envelope>`;
          return new Response(fault, { status: 500, headers: { "content-type": 'text/xml; charset="utf-8"' } });
        }
        const ok = `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body><u:GetExternalIPAddressResponse xmlns:u="${o.serviceType}"><NewExternalIPAddress>${o.external}</NewExternalIPAddress></u:GetExternalIPAddressResponse></s:Body></s:Envelope>`;
        return new Response(ok, { headers: { "content-type": 'text/xml; charset="utf-8"' } });
      }
      return new Response("not found", { status: 404 });
    },
  });
  const httpBase = `http://127.0.0.1:${server.port}`;
  const ssdp = dgram.createSocket("udp4");
  const other = dgram.createSocket("udp4");
  ssdp.on("message", (msg, remote) => {
    const text = msg.toString("utf8");
    if (!text.startsWith("M-SEARCH * HTTP/1.1\r\n") || !/\r\nMAN: "ssdp:discover"\r\n/i.test(text)) return;
    const st = /\r\nST: ?([^\r\n]+)\r\n/i.exec(text)?.[1];
    if (!st) return;
    searches.push(st);
    if (!o.ssdp || st !== o.serviceType) return;
    const location = o.location ? o.location(httpBase) : `${httpBase}/rootDesc.xml`;
    const answer = `HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\nST: ${st}\r\nUSN: uuid:fake::${st}\r\nEXT:\r\nSERVER: Fake UPnP/1.1 FakeIGD/1.0\r\nLOCATION: ${location}\r\n\r\n`;
    (o.answerFrom ? other : ssdp).send(answer, remote.port, remote.address);
  });
  await new Promise<void>((resolve) => ssdp.bind(0, "127.0.0.1", resolve));
  await new Promise<void>((resolve) => other.bind(0, initial.answerFrom ?? "127.0.0.2", resolve));
  return {
    ssdpPort: ssdp.address().port,
    httpBase,
    searches,
    soapCalls,
    set: (next) => Object.assign(o, next),
    close: async () => {
      await server.stop(true);
      await new Promise<void>((r) => ssdp.close(() => r()));
      await new Promise<void>((r) => other.close(() => r()));
    },
  };
}
