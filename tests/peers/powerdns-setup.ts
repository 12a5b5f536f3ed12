import { createMemoryLogger } from "../../src/log/logger.ts";
import type { DnsProvider } from "../../src/providers/kit/types.ts";
import { buildProvider } from "../providers/build-provider.ts";
import type { ContractPeer } from "../providers/provider-contract.ts";
import { digRecords } from "./dns-fixtures.ts";
import { freePort } from "./server-process.ts";
import { startPowerDns, type PowerDnsPeer } from "./pdns-peer.ts";

export interface PowerDnsOptions {
  apiUrl: string;
  apiKey: string;
  serverId?: string;
  timeoutMs?: number;
}

/** Built through the descriptor from the variables an operator sets. */
export function powerDnsProvider(o: PowerDnsOptions): DnsProvider {
  const variables = { DDNS_PROVIDER_API_TOKEN: o.apiKey, DDNS_PROVIDER_API_URL: o.apiUrl, DDNS_POWERDNS_SERVER_ID: o.serverId };
  return buildProvider("powerdns", variables, { log: createMemoryLogger("trace", [o.apiKey]), timeoutMs: o.timeoutMs ?? 3_000 });
}

/** Calls the real API directly (test set-up and out-of-band checks). */
export async function pdnsApi(peer: PowerDnsPeer, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${peer.apiUrl}/api/v1/servers/localhost${path}`, {
    method,
    headers: { "X-API-Key": peer.apiKey, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** The contract peer: a fresh pdns_server with one zone created through its API, read back with dig. */
export async function powerDnsContractPeer(zone: string): Promise<ContractPeer> {
  const peer = await startPowerDns();
  try {
    await peer.createZone(zone);
  } catch (error) {
    await peer.stop();
    throw error;
  }
  return {
    secrets: [peer.apiKey, "not-the-key"],
    async edit(name, type, contents) {
      const records = contents.map((content) => ({ content, disabled: false }));
      const rrset = { name: `${name}.`, type, ttl: 300, changetype: contents.length ? "REPLACE" : "DELETE", records };
      const answer = await pdnsApi(peer, "PATCH", `/zones/${zone}.`, { rrsets: [rrset] });
      if (answer.status !== 204) throw new Error(`PowerDNS refused the hand edit: HTTP ${answer.status} ${await answer.text()}`);
    },
    provider: powerDnsProvider(peer),
    badAuthProvider: powerDnsProvider({ ...peer, apiKey: "not-the-key" }),
    unreachableProvider: powerDnsProvider({ apiUrl: `http://127.0.0.1:${await freePort()}`, apiKey: peer.apiKey }),
    names: [`contract-a.${zone}`, `contract-b.${zone}`],
    read: (name, type) => digRecords(peer.dnsPort, name, type),
    writes: () => peer.patches(),
    comments: "set",
    registry: "set",
    readTxt: (name) => digRecords(peer.dnsPort, name, "TXT"),
    close: () => peer.stop(),
  };
}
