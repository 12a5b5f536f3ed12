import { afterAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemoryLogger } from "../../src/log/logger.ts";
import type { DnsProvider } from "../../src/providers/kit/types.ts";
import { providerOf } from "../fakes/dyndns2/provider-harness.ts";
import { assertNoSecretLeaked, fetchChecked, findLeaks, spawnDaemon } from "../blackbox/harness.ts";
import { freePort, until } from "../blackbox/world.ts";

/**
 * Secret hygiene. The harness checks every spawned daemon's output and every body fetched through it against every
 * secret any test registered; these tests prove that check can fail (planted leaks), and that a service echoing the
 * secret back (a proxy error page quoting the request, a debug endpoint) cannot carry it into a provider's message,
 * which the daemon shows in /status and logs.
 */
setDefaultTimeout(30_000);
const dir = mkdtempSync(join(tmpdir(), "ddnsd-hygiene-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterAll(assertNoSecretLeaked);

describe("the harness's leak check", () => {
  it.each([
    { name: "a secret in a log line", text: "INFO token=canary-secret-1 sent", secrets: ["canary-secret-1"], leaks: ["canary-secret-1"] },
    { name: "a clean text", text: "INFO Created A record", secrets: ["canary-secret-1"], leaks: [] },
    { name: "a secret too short to check", text: "abc", secrets: ["abc"], leaks: [] },
  ] as Array<{ name: string; text: string; secrets: string[]; leaks: string[] }>)("finds $name", ({ text, secrets, leaks }) => {
    expect(findLeaks(text, secrets)).toEqual(leaks);
  });

  it.each([
    { name: "a secret the test passed", file: false },
    { name: "the contents of DDNS_PROVIDER_API_TOKEN_FILE", file: true },
  ])("fails a daemon whose output holds $name", async ({ file }) => {
    const canary = `canary-${file ? "file" : "arg"}.example.com`; // `check` prints DDNS_RECORDS: a planted leak
    const path = join(dir, "token");
    writeFileSync(path, `${canary}\n`);
    const env = { DDNS_PROVIDER_TYPE: "cloudflare", DDNS_RECORDS: canary, ...(file ? { DDNS_PROVIDER_API_TOKEN_FILE: path } : { DDNS_PROVIDER_API_TOKEN: "hygiene-token-1" }) };
    const d = spawnDaemon(["check"], env, file ? [] : [canary], { shareSecrets: false });
    await expect(d.exited()).rejects.toThrow(/secret ca… appeared in the output of ddnsd check/);
  });
});

const SECRET = "hygiene-echo-s3cret-4711";
/** A service that answers every request with the request itself: URL, headers and all. */
const echo = (status: number, type: string) => (async (input: string | URL | Request, init?: RequestInit) => {
  const request = input instanceof Request ? new Request(input, init) : new Request(String(input), init);
  const headers = [...request.headers].map(([k, v]) => `${k}: ${v}`).join("; ");
  return new Response(`you sent ${request.url} with ${headers} (password=${SECRET})`, { status, headers: { "content-type": type } });
}) as typeof fetch;

/** The same world for providers built through their descriptors. */
const world = (fetcher: typeof globalThis.fetch) => ({ fetch: fetcher, log: createMemoryLogger(), now: Date.now, random: Math.random, userAgent: "ddnsd-test", onRequest: () => {} });
const viaDescriptor = (id: string, variables: Record<string, string>) => (f: typeof fetch) =>
  providerOf(id, { DDNS_PROVIDER_API_TOKEN: SECRET, DDNS_PROVIDER_API_URL: "http://127.0.0.1:9", ...variables }, world(f));
const PROVIDERS: Array<{ name: string; make: (f: typeof fetch) => DnsProvider }> = [
  { name: "cloudflare", make: viaDescriptor("cloudflare", {}) },
  { name: "powerdns", make: viaDescriptor("powerdns", {}) },
  { name: "dyndns2", make: viaDescriptor("dyndns2", { DDNS_DYNDNS2_USERNAME: "alice" }) },
  { name: "noip", make: viaDescriptor("noip", { DDNS_NOIP_USERNAME: "alice" }) },
  { name: "duckdns", make: viaDescriptor("duckdns", {}) },
  { name: "digitalocean", make: viaDescriptor("digitalocean", {}) },
  { name: "linode", make: viaDescriptor("linode", {}) },
  { name: "vultr", make: viaDescriptor("vultr", {}) },
  { name: "porkbun", make: viaDescriptor("porkbun", { DDNS_PROVIDER_API_KEY: "pk1_key" }) },
  { name: "godaddy", make: viaDescriptor("godaddy", { DDNS_PROVIDER_API_KEY: "gd-key" }) },
  { name: "dnsimple", make: viaDescriptor("dnsimple", {}) },
  { name: "netlify", make: viaDescriptor("netlify", {}) },
  { name: "namecom", make: viaDescriptor("namecom", { DDNS_PROVIDER_API_KEY: "alice" }) },
  { name: "vercel", make: viaDescriptor("vercel", {}) },
];

describe("a service that echoes the secret back", () => {
  it.each(PROVIDERS.flatMap((p) => [200, 404, 500, 502].map((status) => ({ ...p, status }))))(
    "$name, HTTP $status: the result message holds neither the secret nor a piece of it",
    async ({ make, status }) => {
      const provider = make(echo(status, status === 200 ? "text/plain" : "application/json"));
      const [result] = await provider.setRecords([{ name: "home.duckdns.org", type: "A", content: "203.0.113.5" }], { signal: AbortSignal.timeout(5000), dryRun: false });
      expect(result?.ok).toBe(false);
      const message = result && !result.ok ? result.message : "";
      expect(message).not.toContain(SECRET.slice(0, 8));
      expect(message).not.toContain(SECRET.slice(-8));
    },
  );

  it.each([
    { name: "powerdns", env: { DDNS_PROVIDER_TYPE: "powerdns" } },
    { name: "duckdns", env: { DDNS_PROVIDER_TYPE: "duckdns", DDNS_RECORDS: "hygiene.duckdns.org" } },
  ])("dist/ddnsd with $name: /status, /metrics and the log stay clean", async ({ env }) => {
    const token = `bb-echo-${env.DDNS_PROVIDER_TYPE}-s3cret`;
    const service = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: (req) => new Response(`bad gateway for ${req.url} key=${req.headers.get("x-api-key")}`, { status: 502 }) });
    const ip = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("203.0.113.44\n") });
    const port = await freePort();
    let d: ReturnType<typeof spawnDaemon> | undefined;
    try {
      d = spawnDaemon([], {
        DDNS_PROVIDER_API_TOKEN: token, DDNS_PROVIDER_API_URL: `http://127.0.0.1:${service.port}`, DDNS_RECORDS: "hygiene.example.com",
        DDNS_IP_VERSIONS: "4", DDNS_IP_SOURCE_URLS_V4: `http://127.0.0.1:${ip.port}/`, DDNS_HTTP_ADDR: `127.0.0.1:${port}`, ...env,
      });
      await d.waitForLine(/Could not (update|confirm the update of) A record/);
      const status = await until(() => fetchChecked(`http://127.0.0.1:${port}/status`), (r) => r.body.includes("failing"), 10_000, "a failing record in /status");
      expect(status.body).not.toContain(token.slice(0, 12));
      await fetchChecked(`http://127.0.0.1:${port}/metrics`);
      d.kill("SIGTERM");
      expect(await d.exited()).toBe(0);
    } finally {
      if (d?.proc.exitCode === null) d.kill("SIGKILL");
      service.stop(true);
      ip.stop(true);
    }
  });
});
