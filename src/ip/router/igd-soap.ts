import { elements, firstText, plainText } from "./xml-text.ts";

/**
 * The one SOAP action ddnsd calls on a UPnP IGD: `GetExternalIPAddress` of the WAN connection service (UPnP
 * WANIPConnection:1 §2.4.18 / WANPPPConnection:1), its answer `NewExternalIPAddress`, and a SOAP fault's `UPnPError`
 * (`errorCode`, `errorDescription`, UPnP Device Architecture 1.1 §3.2.2) in the operator's terms. Pure; never throws.
 */
export const MAX_SOAP_BYTES = 16 * 1024;

export function encodeGetExternalIp(serviceType: string): { body: string; headers: Record<string, string> } {
  const body =
    `<?xml version="1.0" encoding="utf-8"?>\r\n` +
    `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">` +
    `<s:Body><u:GetExternalIPAddress xmlns:u="${serviceType}"></u:GetExternalIPAddress></s:Body></s:Envelope>\r\n`;
  return { body, headers: { "content-type": 'text/xml; charset="utf-8"', soapaction: `"${serviceType}#GetExternalIPAddress"` } };
}

/** What the well-known UPnP error codes mean for this action. */
const CODES: Record<string, string> = {
  "401": "does not offer GetExternalIPAddress (invalid action)",
  "501": "could not run GetExternalIPAddress (action failed)",
  "606": "refused: the action needs authorization (UPnP security is on)",
};

export type SoapAnswer = { ok: true; address: string } | { ok: false; reason: string };

/** Reads the control URL's answer (`status` is its HTTP status; a fault usually comes as 500). */
export function parseGetExternalIpAnswer(status: number, xml: string): SoapAnswer {
  if (xml.length > MAX_SOAP_BYTES) return { ok: false, reason: `the SOAP answer is larger than ${MAX_SOAP_BYTES / 1024} KiB` };
  const [fault] = elements(xml, "Fault", 1);
  if (fault !== undefined) {
    const code = firstText(fault, "errorCode");
    const description = firstText(fault, "errorDescription");
    const known = code !== undefined && /^\d{3}$/.test(code) ? CODES[code] : undefined;
    const said = [code === undefined ? undefined : `errorCode ${JSON.stringify(code.slice(0, 16))}`, description === undefined ? undefined : JSON.stringify(description.slice(0, 80))];
    const detail = said.filter((s) => s !== undefined).join(" ");
    return { ok: false, reason: `the router ${known ?? "answered GetExternalIPAddress with a SOAP fault"}${detail ? ` (UPnPError ${detail})` : ""}` };
  }
  if (status !== 200) return { ok: false, reason: `the router's control URL answered HTTP ${status}` };
  const [response] = elements(xml, "GetExternalIPAddressResponse", 1);
  if (response === undefined) return { ok: false, reason: "the router's SOAP answer has no GetExternalIPAddressResponse" };
  const found = elements(response, "NewExternalIPAddress", 2);
  if (found.length > 1) return { ok: false, reason: "the router's SOAP answer has more than one NewExternalIPAddress" };
  const address = found[0] === undefined ? undefined : plainText(found[0]);
  if (address === undefined) return { ok: false, reason: "the router's SOAP answer has no NewExternalIPAddress" };
  if (address === "" || address === "0.0.0.0") return { ok: false, reason: "the router has no external address yet (NewExternalIPAddress is empty: the WAN connection is down?)" };
  return { ok: true, address };
}
