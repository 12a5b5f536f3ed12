import { describe, expect, it } from "bun:test";
import { encodeMSearch, parseSsdpAnswer } from "../../src/ip/router/ssdp.ts";
import { findWanService } from "../../src/ip/router/igd-description.ts";
import { encodeGetExternalIp, parseGetExternalIpAnswer } from "../../src/ip/router/igd-soap.ts";
import { elements, plainText } from "../../src/ip/router/xml-text.ts";
import { descriptionXml } from "./fake-igd.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const ROUTER = "192.168.1.1";
const answer = (headers: string) => enc(`HTTP/1.1 200 OK\r\n${headers}\r\n`);
const IP1 = "urn:schemas-upnp-org:service:WANIPConnection:1";

describe("SSDP (UPnP Device Architecture 1.1 §1.3)", () => {
  it("M-SEARCH names the search target, the host and ssdp:discover", () => {
    expect(new TextDecoder().decode(encodeMSearch(IP1, "239.255.255.250:1900"))).toBe(
      `M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\nMX: 1\r\nST: ${IP1}\r\nUSER-AGENT: ddnsd UPnP/1.1\r\n\r\n`,
    );
  });

  it.each([
    { name: "a router's answer", headers: `CACHE-CONTROL: max-age=120\r\nST: ${IP1}\r\nLOCATION: http://192.168.1.1:5000/rootDesc.xml\r\n`, expected: { location: "http://192.168.1.1:5000/rootDesc.xml", searchTarget: IP1 } },
    { name: "lower-case header names", headers: `st: ${IP1}\r\nlocation: http://192.168.1.1/d.xml\r\n`, expected: { location: "http://192.168.1.1/d.xml", searchTarget: IP1 } },
    { name: "a LOCATION on another host", headers: `ST: ${IP1}\r\nLOCATION: http://192.168.1.50:5000/rootDesc.xml\r\n`, expected: undefined },
    { name: "an https or non-http LOCATION", headers: `ST: ${IP1}\r\nLOCATION: file:///etc/passwd\r\n`, expected: undefined },
    { name: "a LOCATION with credentials", headers: `ST: ${IP1}\r\nLOCATION: http://u:p@192.168.1.1/x\r\n`, expected: undefined },
    { name: "a search target we did not ask for", headers: `ST: upnp:rootdevice\r\nLOCATION: http://192.168.1.1/d.xml\r\n`, expected: undefined },
    { name: "a repeated header", headers: `ST: ${IP1}\r\nLOCATION: http://192.168.1.1/a.xml\r\nLOCATION: http://192.168.1.1/b.xml\r\n`, expected: undefined },
  ])("reads $name", ({ headers, expected }) => {
    expect(parseSsdpAnswer(answer(headers), ROUTER)).toEqual(expected as never);
  });

  it("ignores a NOTIFY, an error status and an oversized datagram", () => {
    expect(parseSsdpAnswer(enc(`NOTIFY * HTTP/1.1\r\nST: ${IP1}\r\nLOCATION: http://192.168.1.1/d\r\n\r\n`), ROUTER)).toBeUndefined();
    expect(parseSsdpAnswer(enc(`HTTP/1.1 404 Not Found\r\nST: ${IP1}\r\nLOCATION: http://192.168.1.1/d\r\n\r\n`), ROUTER)).toBeUndefined();
    expect(parseSsdpAnswer(answer(`ST: ${IP1}\r\nLOCATION: http://192.168.1.1/d\r\nX: ${"a".repeat(3000)}\r\n`), ROUTER)).toBeUndefined();
  });
});

describe("device description (UPnP Device Architecture 1.1 §2.3)", () => {
  const base = "http://192.168.1.1:5000";
  it("finds the first WAN connection service and resolves its control URL against the description's URL", () => {
    expect(findWanService(descriptionXml(base, IP1), `${base}/rootDesc.xml`, ROUTER)).toEqual({ ok: true, service: { serviceType: IP1, controlUrl: `${base}/ctl/IPConn` } });
  });

  it("resolves against URLBase when the description has one (UPnP 1.0)", () => {
    const xml = descriptionXml("", "urn:schemas-upnp-org:service:WANPPPConnection:1").replace("<specVersion>", "<URLBase>http://192.168.1.1:49000/</URLBase><specVersion>");
    expect(findWanService(xml, `${base}/rootDesc.xml`, ROUTER)).toEqual({ ok: true, service: { serviceType: "urn:schemas-upnp-org:service:WANPPPConnection:1", controlUrl: "http://192.168.1.1:49000/ctl/IPConn" } });
  });

  it.each([
    { name: "a control URL on another host", xml: descriptionXml(base, IP1).replace("<controlURL>/ctl/IPConn", "<controlURL>http://192.168.1.66/ctl/IPConn"), reason: "the device description's WAN connection service has a control URL on another host than the router" },
    { name: "no WAN connection service", xml: descriptionXml(base, "urn:schemas-upnp-org:service:WANFooConnection:1"), reason: "the device description lists no WANIPConnection or WANPPPConnection service (is this the Internet gateway?)" },
    { name: "markup inside controlURL", xml: descriptionXml(base, IP1).replace("<controlURL>/ctl/IPConn", "<controlURL><![CDATA[/x]]>/ctl/IPConn"), reason: "the device description lists no WANIPConnection or WANPPPConnection service (is this the Internet gateway?)" },
  ])("refuses $name", ({ xml, reason }) => {
    expect(findWanService(xml, `${base}/rootDesc.xml`, ROUTER)).toMatchObject({ ok: false, reason });
  });
});

describe("GetExternalIPAddress over SOAP (WANIPConnection:1 §2.4.18)", () => {
  it("sends the action in an envelope with the service's SOAPAction", () => {
    const r = encodeGetExternalIp(IP1);
    expect(r.headers).toEqual({ "content-type": 'text/xml; charset="utf-8"', soapaction: `"${IP1}#GetExternalIPAddress"` });
    expect(r.body).toContain(`<u:GetExternalIPAddress xmlns:u="${IP1}"></u:GetExternalIPAddress>`);
  });

  const ok = (inner: string) => `<s:Envelope xmlns:s="x"><s:Body><u:GetExternalIPAddressResponse xmlns:u="${IP1}">${inner}</u:GetExternalIPAddressResponse></s:Body></s:Envelope>`;
  const fault = (code: string, description: string) => `<s:Envelope><s:Body><s:Fault><faultcode>s:Client</faultcode><detail><UPnPError xmlns="urn:schemas-upnp-org:control-1-0"><errorCode>${code}</errorCode><errorDescription>${description}</errorDescription></UPnPError></detail></s:Fault></s:Body></s:Envelope>`;

  it.each([
    { name: "the address", status: 200, xml: ok("<NewExternalIPAddress>203.0.113.5</NewExternalIPAddress>"), expected: { ok: true, address: "203.0.113.5" } },
    { name: "a prefixed element and whitespace", status: 200, xml: ok("<m:NewExternalIPAddress>\n 203.0.113.5 \n</m:NewExternalIPAddress>"), expected: { ok: true, address: "203.0.113.5" } },
    { name: "an empty address (WAN down)", status: 200, xml: ok("<NewExternalIPAddress></NewExternalIPAddress>"), expected: { ok: false, reason: "the router has no external address yet (NewExternalIPAddress is empty: the WAN connection is down?)" } },
    { name: "a fault with a known code", status: 500, xml: fault("501", "Action Failed"), expected: { ok: false, reason: 'the router could not run GetExternalIPAddress (action failed) (UPnPError errorCode "501" "Action Failed")' } },
    { name: "a fault with another code", status: 500, xml: fault("714", "NoSuchEntryInArray"), expected: { ok: false, reason: 'the router answered GetExternalIPAddress with a SOAP fault (UPnPError errorCode "714" "NoSuchEntryInArray")' } },
    { name: "an HTTP error without a fault", status: 403, xml: "forbidden", expected: { ok: false, reason: "the router's control URL answered HTTP 403" } },
    { name: "an answer without the response element", status: 200, xml: "<s:Envelope><s:Body/></s:Envelope>", expected: { ok: false, reason: "the router's SOAP answer has no GetExternalIPAddressResponse" } },
    { name: "two addresses", status: 200, xml: ok("<NewExternalIPAddress>203.0.113.5</NewExternalIPAddress><NewExternalIPAddress>198.51.100.1</NewExternalIPAddress>"), expected: { ok: false, reason: "the router's SOAP answer has more than one NewExternalIPAddress" } },
    { name: "markup inside the address", status: 200, xml: ok("<NewExternalIPAddress><b>203.0.113.5</b></NewExternalIPAddress>"), expected: { ok: false, reason: "the router's SOAP answer has no NewExternalIPAddress" } },
  ])("reads $name", ({ status, xml, expected }) => {
    expect(parseGetExternalIpAnswer(status, xml)).toEqual(expected as never);
  });
});

describe("the XML extraction", () => {
  it.each([
    { name: "the five entities and character references", inner: " a&amp;b&lt;&gt;&quot;&apos;&#65;&#x42; ", expected: `a&b<>"'AB` },
    { name: "a bare ampersand", inner: "a & b", expected: undefined },
    { name: "an unknown entity", inner: "&nbsp;", expected: undefined },
    { name: "a NUL character reference", inner: "&#0;", expected: undefined },
    { name: "markup", inner: "a<b/>", expected: undefined },
  ])("plain text: $name", ({ inner, expected }) => {
    expect(plainText(inner)).toBe(expected as never);
  });

  it("reads elements in order, self-closing ones as empty, at most `limit`", () => {
    expect(elements("<a>1</a><x:a k='v'>2</x:a><a/><a>4</a>", "a", 3)).toEqual(["1", "2", ""]);
    expect(elements("<ab>1</ab><a>2", "a")).toEqual([]);
  });
});
