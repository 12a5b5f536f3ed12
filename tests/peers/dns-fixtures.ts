import { spawn } from "node:child_process";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { requireBinary } from "./server-process.ts";

/** Shared by the DNS provider tests: keys and zone contents for Knot and BIND, out-of-band reads with dig. */
export interface TestKey {
  name: string;
  algorithm: "hmac-sha1" | "hmac-sha224" | "hmac-sha256" | "hmac-sha384" | "hmac-sha512";
  secret: string;
}

export function randomSecret(bytes = 32): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(bytes))));
}

export function testKey(name: string, algorithm: TestKey["algorithm"] = "hmac-sha256"): TestKey {
  return { name, algorithm, secret: randomSecret(algorithm === "hmac-sha512" ? 64 : 32) };
}

export const TEST_ZONE = "example.test";

/** Enough A records at one name that a plain UDP answer (512 octets) must come back truncated. */
export const BIG_RRSET_NAME = `big.${TEST_ZONE}`;
export const BIG_RRSET_SIZE = 40;

/** A record that exists before the tests start, with a TTL the provider should keep. */
export const KEPT_TTL_NAME = `kept.${TEST_ZONE}`;
export const KEPT_TTL = 3600;

export function zoneFile(zone = TEST_ZONE): string {
  const big = Array.from({ length: BIG_RRSET_SIZE }, (_, i) => `big 300 IN A 198.51.100.${i + 1}`);
  return [
    `$ORIGIN ${zone}.`,
    "$TTL 600",
    "@ IN SOA ns1 hostmaster 1 3600 900 604800 120",
    "@ IN NS ns1",
    "ns1 IN A 192.0.2.53",
    `kept ${KEPT_TTL} IN A 192.0.2.1`,
    ...big,
    "",
  ].join("\n");
}
/** Out-of-band reads with dig (bind9-dnsutils), so that tests never check the provider with its own code. */
function run(args: string[]): Promise<{ code: number; stdout: string }> {
  const dig = requireBinary("dig", "bind9-dnsutils");
  return new Promise((resolve, reject) => {
    const child = spawn(dig, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.on("data", (chunk: Uint8Array) => (stdout += new TextDecoder().decode(chunk)));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code: code ?? -1, stdout }));
  });
}

/** The record data dig sees for (name, type) at 127.0.0.1:port, sorted; throws if dig gets no answer. */
export async function digRecords(port: number, name: string, type: string): Promise<string[]> {
  const { code, stdout } = await run(["+short", "+tcp", "+time=2", "+tries=2", "-p", String(port), "@127.0.0.1", name, type]);
  if (code !== 0) throw new Error(`dig ${name} ${type} failed (exit ${code}): ${stdout}`);
  return stdout.split("\n").map((line) => line.trim()).filter(Boolean).sort();
}

/** (ttl, data) pairs for (name, type). */
export async function digWithTtl(port: number, name: string, type: string): Promise<{ ttl: number; data: string }[]> {
  const { stdout } = await run(["+noall", "+answer", "+tcp", "+time=2", "-p", String(port), "@127.0.0.1", name, type]);
  return stdout.split("\n").filter(Boolean).map((line) => {
    const fields = line.split(/\s+/);
    return { ttl: Number(fields[1]), data: fields.slice(4).join(" ") };
  });
}

/** True once the server answers authoritatively for the zone's SOA. */
export async function answersSoa(port: number, zone: string): Promise<boolean> {
  const { code, stdout } = await run(["+short", "+time=1", "+tries=1", "-p", String(port), "@127.0.0.1", zone, "SOA"]);
  return code === 0 && stdout.trim().length > 0;
}

/** One record through a provider, with a generous deadline. */
export async function setOne(provider: DnsProvider, request: RecordRequest, dryRun = false): Promise<RecordResult> {
  const [result] = await provider.setRecords([request], { signal: AbortSignal.timeout(10_000), dryRun });
  if (!result) throw new Error("provider returned no result");
  return result;
}
