import { ConfigError } from "../../core/errors.ts";
import { parseServer, type DnsServer } from "../../dns/transport.ts";
import { decodeSecret, type TsigAlgorithm, type TsigKey } from "../../dns/tsig.ts";

/** The settings as the descriptor parsed and checked them (host:port, names, the algorithm, a base64 secret). */
export interface Rfc2136Settings {
  token: string;
  server: string;
  zone?: string | undefined;
  keyName: string;
  algorithm: TsigAlgorithm;
}

/** What the provider works with: the server as an address, the key with its secret decoded. */
export interface Rfc2136Connection {
  server: DnsServer;
  /** The server as the operator wrote it, for messages. */
  serverLabel: string;
  key: TsigKey;
}

/** Only conversion: every value was checked by the descriptor, so a throw here would be a ddnsd bug. */
export function connectionOf(s: Rfc2136Settings): Rfc2136Connection {
  const server = parseServer(s.server);
  const secret = decodeSecret(s.token);
  if (!server || !secret) throw new ConfigError(server ? "DDNS_PROVIDER_API_TOKEN" : "DDNS_RFC2136_SERVER", "the RFC 2136 settings passed the check but cannot be used; please report this as a ddnsd bug.");
  return { server, serverLabel: s.server, key: { name: s.keyName, algorithm: s.algorithm, secret } };
}
