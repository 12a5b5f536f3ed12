import { decodeSecret, TSIG_ALGORITHMS } from "../../dns/tsig.ts";
import { defineProvider } from "../kit/descriptor.ts";
import { dnsName, hostPort, oneOf, secret } from "../kit/fields.ts";
import { createRfc2136Provider } from "./rfc2136-provider.ts";

export const rfc2136 = defineProvider({
  id: "rfc2136",
  name: "RFC 2136 DNS UPDATE (BIND, Knot, PowerDNS, …)",
  capabilities: { read: true, comments: false, proxied: false, ownerRegistry: true },
  ttl: { min: 30, max: 86_400, auto: "the existing record's TTL (300 for a new record)" },
  fields: {
    token: secret("DDNS_PROVIDER_API_TOKEN", "the TSIG secret, base64 as in the server's key file"),
    server: hostPort("DDNS_RFC2136_SERVER", "the primary name server, host:port", 53).required("127.0.0.1:53"),
    zone: dnsName("DDNS_RFC2136_ZONE", "the zone; found from the SOA when unset"),
    keyName: dnsName("DDNS_RFC2136_TSIG_KEY_NAME", "the TSIG key's name").required("ddns-key"),
    algorithm: oneOf("DDNS_RFC2136_TSIG_ALGORITHM", "the TSIG algorithm", TSIG_ALGORITHMS).default("hmac-sha256"),
  },
  refine: (s) => {
    if (decodeSecret(s.token)) return undefined;
    const quoted = /^(["']).+\1$/.test(s.token) ? "; it begins and ends with a quote: remove the quotes" : "";
    return { variable: "DDNS_PROVIDER_API_TOKEN", reason: `must be the base64 TSIG secret when DDNS_PROVIDER_TYPE=rfc2136 (it is not valid base64${quoted})` };
  },
  create: createRfc2136Provider,
});
