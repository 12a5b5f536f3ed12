import { elements, firstText } from "./xml-text.ts";
import { isRouterUrl } from "./ssdp.ts";

/**
 * Reads a UPnP device description (UPnP Device Architecture 1.1 §2.3) for the WAN connection service ddnsd asks:
 * the first `<service>` whose `serviceType` is WANIPConnection (any version) or WANPPPConnection:1, and its
 * `controlURL`, resolved against `<URLBase>` (UPnP 1.0) or else the description's own URL. A control URL that does
 * not point at the router is not believed. Pure and bounded (see xml-text.ts); never throws.
 */
export const MAX_DESCRIPTION_BYTES = 64 * 1024;

const WAN_SERVICE = /^urn:schemas-upnp-org:service:(?:WANIPConnection:[12]|WANPPPConnection:1)$/;

export interface WanService {
  serviceType: string;
  controlUrl: string;
}

export type DescriptionResult = { ok: true; service: WanService } | { ok: false; reason: string; foreignHost?: boolean };

export function findWanService(xml: string, location: string, router: string): DescriptionResult {
  if (xml.length > MAX_DESCRIPTION_BYTES) return { ok: false, reason: `the device description is larger than ${MAX_DESCRIPTION_BYTES / 1024} KiB` };
  const base = firstText(xml, "URLBase") || location;
  let foreign = false;
  for (const service of elements(xml, "service", 64)) {
    const serviceType = firstText(service, "serviceType");
    const control = firstText(service, "controlURL");
    if (serviceType === undefined || !WAN_SERVICE.test(serviceType) || !control) continue;
    let controlUrl: string;
    try {
      controlUrl = new URL(control, base).href;
    } catch {
      continue;
    }
    if (!isRouterUrl(controlUrl, router)) {
      foreign = true;
      continue;
    }
    return { ok: true, service: { serviceType, controlUrl } };
  }
  if (foreign) return { ok: false, reason: "the device description's WAN connection service has a control URL on another host than the router", foreignHost: true };
  return { ok: false, reason: "the device description lists no WANIPConnection or WANPPPConnection service (is this the Internet gateway?)" };
}
