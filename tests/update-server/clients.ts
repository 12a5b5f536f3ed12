import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Real DynDNS2 clients against a running endpoint (the compiled daemon or the Worker under workerd):
 * - curl as routers' shell scripts send it (OpenWrt ddns-scripts, UniFi's inadyn-style URL with credentials);
 * - wget, which sends credentials only after the 401 challenge (as OpenWrt's uclient-fetch and wget do);
 * - ddclient from Debian, `protocol=dyndns2`, run once in the foreground with a config file of its own.
 */
const need = (name: string, pkg: string) => {
  const path = Bun.which(name);
  if (!path) throw new Error(`${name} is not installed: these tests need it (Debian: apt-get install -y ${pkg})`);
  return path;
};

export interface ClientAnswer {
  status: number;
  body: string;
}

/** `curl -u user:pass` (or credentials in the URL, `http://user:pass@host/...`), with a router's User-Agent. */
export async function curl(url: string, opts: { user?: string; password?: string; inUrl?: boolean; headers?: Record<string, string> } = {}): Promise<ClientAnswer> {
  const args = [need("curl", "curl"), "-sS", "--max-time", "30", "-A", "OpenWrt ddns-scripts/2.8.2 (curl)", "-o", "-", "-w", "\n%{http_code}"];
  let target = url;
  if (opts.user !== undefined) {
    if (opts.inUrl) {
      const u = new URL(url);
      u.username = encodeURIComponent(opts.user);
      u.password = encodeURIComponent(opts.password ?? "");
      target = u.href;
    } else args.push("-u", `${opts.user}:${opts.password ?? ""}`);
  }
  for (const [k, v] of Object.entries(opts.headers ?? {})) args.push("-H", `${k}: ${v}`);
  const proc = Bun.spawn([...args, target], { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`curl failed (${code}): ${err.trim()}`);
  const cut = out.lastIndexOf("\n");
  return { body: out.slice(0, cut), status: Number(out.slice(cut + 1)) };
}

/** `wget` with `--user/--password`: the first request carries no credentials; the 401 challenge asks for them. */
export async function wget(url: string, user: string, password: string): Promise<{ code: number; body: string; log: string }> {
  const proc = Bun.spawn([need("wget", "wget"), "-O", "-", "-S", "--timeout=30", "--tries=1", `--user=${user}`, `--password=${password}`, url], { stdout: "pipe", stderr: "pipe" });
  const [body, log, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, body, log };
}

export interface DdclientRun {
  code: number;
  /** ddclient's own verdict lines: `SUCCESS:`, `FAILED:`, `WARNING:`. */
  verdicts: string[];
  output: string;
}

/**
 * Runs ddclient once in the foreground (`-daemon=0 -force`, no syslog, no mail) with a fresh config:
 * `use=ip, ip=<address>` (the address it sends as myip), `server=host:port` over plain http.
 */
export async function ddclient(opts: { server: string; login: string; password: string; hosts: string[]; ip: string }): Promise<DdclientRun> {
  const bin = need("ddclient", "ddclient");
  const dir = mkdtempSync(join(tmpdir(), "ddnsd-ddclient-"));
  const conf = join(dir, "ddclient.conf");
  const lines = [
    "daemon=0", "syslog=no", "ssl=no", "mail=", "mail-failure=",
    `use=ip, ip=${opts.ip}`,
    "protocol=dyndns2",
    `server=${opts.server}`,
    `login=${opts.login}`,
    `password='${opts.password}'`,
    opts.hosts.join(","),
  ];
  writeFileSync(conf, `${lines.join("\n")}\n`);
  chmodSync(conf, 0o600);
  // `-daemon=0` on the command line: Debian's ddclient 3.10 otherwise daemonizes (or, with -foreground, sleeps).
  const args = [bin, "-daemon=0", "-force", "-verbose", "-noquiet", "-file", conf, "-cache", join(dir, "ddclient.cache")];
  const proc = Bun.spawn(args, { stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const timer = setTimeout(() => proc.kill("SIGKILL"), 60_000);
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(timer);
  const output = `${out}${err}`;
  const verdicts = output.split("\n").filter((l) => /^(SUCCESS|FAILED|WARNING): /.test(l)).map((l) => l.replace(/\s+/g, " ").trim());
  return { code, verdicts, output };
}

export interface InadynRun {
  code: number;
  /** inadyn's verdicts: `Successful alias table update for …`, `Error code 50: Authentication failure`. */
  verdicts: string[];
  output: string;
}

/**
 * Runs Debian's inadyn once in the foreground (`-1 --force -n --no-pidfile`, its cache in a fresh folder) with the
 * recipe of docs/edge.md: a `custom` section per family (`ddnsd`, and `ddnsd-v6` with `myipv6=%i` and
 * `allow-ipv6 = true`), `ssl = false` for the plain-HTTP local endpoint, the server as `host:port`, Basic auth from
 * `username`/`password`, each address from `checkip-command` (no checkip service on loopback).
 */
export async function inadyn(opts: { server: string; username: string; password: string; hostname: string; ips: string[]; config?: string }): Promise<InadynRun> {
  const bin = need("inadyn", "inadyn");
  const dir = mkdtempSync(join(tmpdir(), "ddnsd-inadyn-"));
  const conf = join(dir, "inadyn.conf");
  const section = (ip: string) => {
    const v6 = ip.includes(":");
    return [
      `custom ${v6 ? "ddnsd-v6" : "ddnsd"} {`,
      "    ssl         = false",
      `    username    = ${opts.username}`,
      `    password    = "${opts.password}"`,
      `    ddns-server = ${opts.server}`,
      `    ddns-path   = "/nic/update?hostname=%h&${v6 ? "myipv6" : "myip"}=%i"`,
      `    hostname    = ${opts.hostname}`,
      `    checkip-command = "echo ${ip}"`,
      "}",
    ];
  };
  const v6 = opts.ips.some((ip) => ip.includes(":"));
  const lines = ["period = 300", ...(v6 ? ["allow-ipv6 = true"] : []), ...opts.ips.flatMap(section)];
  writeFileSync(conf, opts.config ?? `${lines.join("\n")}\n`);
  chmodSync(conf, 0o600);
  const args = [bin, "-1", "--force", "-n", "--no-pidfile", "--cache-dir", join(dir, "cache"), "-f", conf, "-l", "info"];
  const proc = Bun.spawn(args, { stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const timer = setTimeout(() => proc.kill("SIGKILL"), 60_000);
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(timer);
  const output = `${out}${err}`;
  const verdicts = output.split("\n").map((l) => l.replace(/^inadyn\[\d+\]: /, "").trim()).filter((l) => /^(Successful alias table update|Error code)/.test(l));
  return { code, verdicts, output };
}
