import { createMemoryLogger } from "../../src/log/logger.ts";
import type { DnsProvider } from "../../src/providers/kit/types.ts";
import { buildProvider } from "../providers/build-provider.ts";
import { createSocketTransport, type DnsTransport } from "../../src/dns/transport.ts";
import { opcodeOf } from "../../src/dns/messages.ts";
import type { ContractPeer } from "../providers/provider-contract.ts";
import { digRecords, randomSecret, TEST_ZONE, type TestKey } from "./dns-fixtures.ts";
import { freePort } from "./server-process.ts";
import type { DnsPeer } from "./knot-peer.ts";

/** Counts what goes over the real socket transport: per protocol, and UPDATE messages. */
export function countingTransport() {
  const inner = createSocketTransport();
  const counts = { udp: 0, tcp: 0, updates: 0 };
  const transport: DnsTransport = {
    exchange(server, message, options) {
      counts[options.protocol] += 1;
      if (opcodeOf(message) === 5) counts.updates += 1;
      return inner.exchange(server, message, options);
    },
  };
  return { transport, counts };
}

export interface ProviderOptions {
  port: number;
  key: TestKey;
  secret?: string;
  keyName?: string;
  zone?: string;
  transport?: DnsTransport;
  timeoutMs?: number;
  /** Added to the real clock (for BADTIME). */
  clockSkewMs?: number;
}

/** Built through the descriptor from the variables an operator sets. */
export function rfc2136Provider(o: ProviderOptions): DnsProvider {
  const variables = {
    DDNS_PROVIDER_API_TOKEN: o.secret ?? o.key.secret,
    DDNS_RFC2136_SERVER: `127.0.0.1:${o.port}`,
    DDNS_RFC2136_ZONE: o.zone,
    DDNS_RFC2136_TSIG_KEY_NAME: o.keyName ?? o.key.name,
    DDNS_RFC2136_TSIG_ALGORITHM: o.key.algorithm,
  };
  return buildProvider("rfc2136", variables, {
    log: createMemoryLogger("trace", [o.key.secret]),
    now: () => Date.now() + (o.clockSkewMs ?? 0),
    timeoutMs: o.timeoutMs ?? 3_000,
    ...(o.transport ? { dnsTransport: o.transport } : {}),
  });
}

let counter = 0;
/** A fresh name inside the test zone. */
export function uniqueName(label: string): string {
  counter += 1;
  return `${label}-${counter}-${Math.floor(Math.random() * 1e6)}.${TEST_ZONE}`;
}

/** Replaces what (name, type) holds at the server with nsupdate, out of band (a hand edit). */
export async function nsupdateEdit(port: number, key: TestKey, name: string, type: string, contents: string[]): Promise<void> {
  const script = [`server 127.0.0.1 ${port}`, `zone ${TEST_ZONE}`, `update delete ${name}. ${type}`, ...contents.map((c) => `update add ${name}. 300 ${type} ${c}`), "send", ""].join("\n");
  const child = Bun.spawn(["nsupdate", "-y", `${key.algorithm}:${key.name}:${key.secret}`], { stdin: new TextEncoder().encode(script), stdout: "pipe", stderr: "pipe" });
  const code = await child.exited;
  if (code !== 0) throw new Error(`nsupdate failed (exit ${code}): ${await new Response(child.stderr).text()}`);
}

/** The contract peer for a real server started by `start` (Knot or BIND). */
export async function contractPeer(start: (key: TestKey) => Promise<DnsPeer>, key: TestKey): Promise<ContractPeer> {
  const peer = await start(key);
  const wrong = randomSecret();
  return {
    secrets: [key.secret, wrong],
    edit: (name, type, contents) => nsupdateEdit(peer.port, key, name, type, contents),
    provider: rfc2136Provider({ port: peer.port, key }),
    badAuthProvider: rfc2136Provider({ port: peer.port, key, secret: wrong }),
    unreachableProvider: rfc2136Provider({ port: await freePort(), key, timeoutMs: 500 }),
    names: [uniqueName("contract-a"), uniqueName("contract-b")],
    read: (name, type) => digRecords(peer.port, name, type),
    registry: "set",
    readTxt: (name) => digRecords(peer.port, name, "TXT"),
    writes: () => peer.updates(),
    close: () => peer.stop(),
  };
}
