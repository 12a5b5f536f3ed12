import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * HTTPS in front of the fake Cloudflare API, for clients that only speak https to Cloudflare (ddclient, inadyn).
 * `makeCertificates` writes a throw-away CA and a server certificate signed by it (openssl from Debian); clients
 * trust the CA file (`ssl_ca_file` for ddclient, `ca-trust-file` for inadyn, NODE_EXTRA_CA_CERTS for ddnsd).
 * `startTlsFront` is a reverse proxy: every request is passed on to `target` as it came (method, path, query,
 * headers, body) and the answer comes back unchanged.
 */

export interface Certificates {
  caFile: string;
  certFile: string;
  keyFile: string;
}

function openssl(args: string[]): void {
  const run = spawnSync("openssl", args, { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`openssl ${args[0]} failed: ${run.stderr || run.error?.message}`);
}

export function makeCertificates(dir: string, names: string[], ips: string[]): Certificates {
  mkdirSync(dir, { recursive: true });
  const f = (name: string) => join(dir, name);
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl(["req", "-x509", ...ec, "-keyout", f("ca.key"), "-out", f("ca.pem"), "-days", "2", "-subj", "/CN=ddnsd bench CA",
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
  openssl(["req", ...ec, "-keyout", f("server.key"), "-out", f("server.csr"), "-subj", `/CN=${names[0] ?? ips[0]}`]);
  const san = [...names.map((n) => `DNS:${n}`), ...ips.map((ip) => `IP:${ip}`)].join(",");
  writeFileSync(f("server.ext"), `subjectAltName=${san}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`);
  openssl(["x509", "-req", "-in", f("server.csr"), "-CA", f("ca.pem"), "-CAkey", f("ca.key"), "-CAcreateserial",
    "-out", f("server.pem"), "-days", "2", "-extfile", f("server.ext")]);
  return { caFile: f("ca.pem"), certFile: f("server.pem"), keyFile: f("server.key") };
}

export interface TlsFront {
  url: string;
  stop(): Promise<void>;
}

const HOP_BY_HOP = ["connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection", "content-length", "host"];

export function startTlsFront(options: { hostname: string; port: number; target: string; certs: Certificates }): TlsFront {
  const server = Bun.serve({
    hostname: options.hostname,
    port: options.port,
    idleTimeout: 30,
    tls: { cert: readFileSync(options.certs.certFile, "utf8"), key: readFileSync(options.certs.keyFile, "utf8") },
    async fetch(req) {
      const url = new URL(req.url);
      const headers = new Headers(req.headers);
      for (const h of HOP_BY_HOP) headers.delete(h);
      const body = req.method === "GET" || req.method === "HEAD" ? undefined : await req.arrayBuffer();
      const answer = await fetch(`${options.target}${url.pathname}${url.search}`, { method: req.method, headers, body, redirect: "manual" });
      const out = new Headers(answer.headers);
      for (const h of HOP_BY_HOP) out.delete(h);
      return new Response(await answer.arrayBuffer(), { status: answer.status, headers: out });
    },
  });
  return { url: `https://${options.hostname}:${server.port}`, stop: () => server.stop(true) };
}
