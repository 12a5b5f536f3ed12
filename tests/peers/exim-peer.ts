import { chmod, readdir, readFile, writeFile } from "node:fs/promises";
import { spawnSync } from "node:child_process";
import { connect } from "node:net";
import { join } from "node:path";
import { freePort, makeTempDir, removeDir, requireBinary, startProcess, waitUntilReady } from "./server-process.ts";

/**
 * A real SMTP server for the smtp notification channel: Debian's exim4 (exim4-daemon-light) on loopback, in the
 * foreground with a config of its own: STARTTLS on one port, TLS on connect on another, AUTH PLAIN (only after
 * TLS) for one user, every accepted mail into a Maildir the test reads. The certificate is made per run (openssl,
 * ECDSA P-256) and handed to the client as its trusted CA.
 */
export interface EximPeer {
  startTlsPort: number;
  implicitTlsPort: number;
  user: string;
  password: string;
  /** PEM of the server's self-signed certificate. */
  ca: string;
  /** Every delivered mail, as exim wrote it. */
  mails(): Promise<string[]>;
  stop(): Promise<void>;
}

export const eximInstalled = () => spawnSync("sh", ["-c", "command -v exim4 || test -x /usr/sbin/exim4"]).status === 0;

function config(dir: string, ports: [number, number], user: string, password: string): string {
  return `keep_environment =
primary_hostname = localhost
daemon_smtp_ports = ${ports[0]} : ${ports[1]}
tls_on_connect_ports = ${ports[1]}
local_interfaces = 127.0.0.1
tls_advertise_hosts = *
tls_certificate = ${dir}/cert.pem
tls_privatekey = ${dir}/key.pem
spool_directory = ${dir}/spool
log_file_path = ${dir}/%slog
acl_smtp_rcpt = acl_check_rcpt
auth_advertise_hosts = \${if eq{$tls_in_cipher}{}{}{*}}

begin acl
acl_check_rcpt:
  accept authenticated = *
  deny message = authentication required

begin routers
everything:
  driver = accept
  transport = to_maildir

begin transports
to_maildir:
  driver = appendfile
  directory = ${dir}/mail
  maildir_format

begin authenticators
plain:
  driver = plaintext
  public_name = PLAIN
  server_prompts = :
  server_condition = \${if and {{eq{$auth2}{${user}}}{eq{$auth3}{${password}}}}}
  server_set_id = $auth2
`;
}

const greets = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect({ host: "127.0.0.1", port }, () => s.once("data", (d) => (s.destroy(), resolve(String(d).startsWith("220")))));
    s.once("error", () => resolve(false));
  });

export async function startExim(): Promise<EximPeer> {
  const exim = requireBinary("exim4", "exim4-daemon-light");
  const dir = await makeTempDir("exim");
  // exim drops root for a -C config: its user must be able to write the spool, the log and the Maildir.
  await chmod(dir, 0o777);
  for (const sub of ["spool", "mail"]) spawnSync("mkdir", ["-m", "777", join(dir, sub)]);
  const made = spawnSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"), "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"]);
  if (made.status !== 0) throw new Error(`openssl could not make a certificate: ${made.stderr}`);
  await chmod(join(dir, "key.pem"), 0o644);
  const ports: [number, number] = [await freePort(), await freePort()];
  const user = "ddns";
  const password = "smtp-pa55word-s3cr3t";
  await writeFile(join(dir, "exim.conf"), config(dir, ports, user, password));
  const server = startProcess(exim, ["-C", join(dir, "exim.conf"), "-bdf", "-q10s"], dir);
  await waitUntilReady("exim4", server, () => greets(ports[0]));
  const maildir = join(dir, "mail", "new");
  return {
    startTlsPort: ports[0],
    implicitTlsPort: ports[1],
    user,
    password,
    ca: await readFile(join(dir, "cert.pem"), "utf8"),
    async mails() {
      const names = await readdir(maildir).catch(() => [] as string[]);
      return Promise.all(names.sort().map((n) => readFile(join(maildir, n), "utf8")));
    },
    async stop() {
      await server.stop();
      await removeDir(dir);
    },
  };
}
