import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect, type TLSSocket } from "node:tls";
import type { Channel, Message } from "./types.ts";
import type { ParsedService, SmtpSettings } from "./services/service-types.ts";

/**
 * One SMTP session as shoutrrr's smtp service holds it (pkg/services/smtp/smtp.go, Go's net/smtp): greeting, EHLO
 * with `clienthost`, STARTTLS when offered and wanted (implicit TLS on 465 or `encryption=ImplicitTLS`), AUTH PLAIN
 * (refused over a plain connection to anything but localhost, as Go's PlainAuth does), then per recipient MAIL FROM,
 * RCPT TO, DATA with Subject, Date, To, From, MIME-version and Content-Type headers, and QUIT. The whole session
 * has one deadline; the answer is the first reply that is not what the step expects.
 */
export interface SmtpWorld {
  /** Extra trusted CA certificates (PEM), for tests with a local server; default: the system's. */
  ca?: string;
  timeoutMs: number;
  now: () => number;
}

export type SmtpResult = { ok: true } | { ok: false; problem: string; transient: boolean };

class SmtpReply extends Error {
  constructor(readonly step: string, readonly code: number, readonly text: string) {
    super(`${step}: the server answered ${code} ${JSON.stringify(text.slice(0, 120))}`);
  }
}

/** Reads CRLF lines from a socket; `reply()` gives the next complete (multi-line) reply. */
function replies(socket: Socket | TLSSocket) {
  let buffer = "";
  let waiting: (() => void) | undefined;
  let failure: Error | undefined;
  const wake = () => (waiting?.(), (waiting = undefined));
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => ((buffer += chunk), wake()));
  socket.on("error", (e) => ((failure = e), wake()));
  socket.on("close", () => ((failure ??= new Error("the server closed the connection")), wake()));
  return async function reply(step: string): Promise<{ code: number; lines: string[] }> {
    const lines: string[] = [];
    for (;;) {
      const end = buffer.indexOf("\r\n");
      if (end < 0) {
        if (failure) throw failure;
        await new Promise<void>((r) => (waiting = r));
        continue;
      }
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      lines.push(line.slice(4));
      if (line[3] !== "-") {
        const code = Number(line.slice(0, 3));
        if (!Number.isInteger(code)) throw new SmtpReply(step, 0, line);
        return { code, lines };
      }
    }
  };
}

const two = (n: number) => String(n).padStart(2, "0");
/** Go's time.RFC1123Z: `Mon, 02 Jan 2006 15:04:05 -0700` (UTC here). */
export function rfc1123z(ms: number): string {
  const d = new Date(ms);
  const day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][d.getUTCDay()];
  const month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][d.getUTCMonth()];
  return `${day}, ${two(d.getUTCDate())} ${month} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/** The DATA of one mail: headers, a blank line, the body; CRLF line ends, dot-stuffed, ended by `.`. */
export function mailData(s: SmtpSettings, to: string, message: Message, now: number): string {
  const headers = [
    `Subject: ${s.subject ?? message.title}`,
    `Date: ${rfc1123z(now)}`,
    `To: ${to}`,
    `From: ${s.fromName} <${s.from}>`,
    "MIME-version: 1.0",
    'Content-Type: text/plain; charset="UTF-8"',
  ];
  const text = [...headers, "", ...message.body.split(/\r?\n/)].map((l) => (l.startsWith(".") ? `.${l}` : l)).join("\r\n");
  return `${text}\r\n.\r\n`;
}

const isLocal = (host: string) => host === "localhost" || host === "127.0.0.1" || host === "::1";

export async function sendMail(s: SmtpSettings, message: Message, world: SmtpWorld, signal: AbortSignal): Promise<SmtpResult> {
  const tlsOptions = { servername: isLocal(s.host) || /^[\d.:]+$/.test(s.host) ? undefined : s.host, ...(world.ca ? { ca: world.ca } : {}) };
  let socket: Socket | TLSSocket = s.implicitTls ? tlsConnect({ host: s.host, port: s.port, ...tlsOptions }) : netConnect({ host: s.host, port: s.port });
  let encrypted = s.implicitTls;
  const timer = setTimeout(() => socket.destroy(new Error(`no complete SMTP exchange within ${Math.round(world.timeoutMs / 1000)}s`)), world.timeoutMs);
  const onAbort = () => socket.destroy(new Error("cancelled (shutting down)"));
  signal.addEventListener("abort", onAbort, { once: true });
  let reply = replies(socket);
  const expect = async (step: string, code: number) => {
    const r = await reply(step);
    if (r.code !== code) throw new SmtpReply(step, r.code, r.lines.join(" "));
    return r;
  };
  const command = (line: string, step: string, code: number) => (socket.write(`${line}\r\n`), expect(step, code));
  try {
    await expect("greeting", 220);
    let ehlo = await command(`EHLO ${s.clientHost}`, "EHLO", 250);
    if (s.startTls && !s.implicitTls && ehlo.lines.some((l) => /^STARTTLS\b/i.test(l))) {
      await command("STARTTLS", "STARTTLS", 220);
      const plain = socket as Socket;
      plain.removeAllListeners("data");
      socket = tlsConnect({ socket: plain, ...tlsOptions });
      await new Promise<void>((resolve, reject) => (socket.once("secureConnect", resolve), socket.once("error", reject)));
      encrypted = true;
      reply = replies(socket);
      ehlo = await command(`EHLO ${s.clientHost}`, "EHLO after STARTTLS", 250);
    }
    if (s.auth === "plain") {
      if (!encrypted && !isLocal(s.host)) return { ok: false, problem: "the server offers no TLS, and the password is never sent unencrypted (use a server with STARTTLS, or encryption=ImplicitTLS)", transient: false };
      const token = btoa(String.fromCharCode(...new TextEncoder().encode(`\0${s.username}\0${s.password}`)));
      await command(`AUTH PLAIN ${token}`, "AUTH PLAIN", 235);
    }
    for (const to of s.to) {
      await command(`MAIL FROM:<${s.from}>`, "MAIL FROM", 250);
      await command(`RCPT TO:<${to}>`, `RCPT TO ${to}`, 250);
      await command("DATA", "DATA", 354);
      socket.write(mailData(s, to, message, world.now()));
      await expect("end of DATA", 250);
    }
    await command("QUIT", "QUIT", 221).catch(() => undefined);
    return { ok: true };
  } catch (error) {
    if (error instanceof SmtpReply) return { ok: false, problem: error.message, transient: error.code >= 400 && error.code < 500 };
    return { ok: false, problem: `SMTP session with ${s.host}:${s.port} failed: ${(error as Error).message}`, transient: true };
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", onAbort);
    socket.destroy();
  }
}

/** An `smtp://` URL as a channel: one SMTP session per message. Only the daemon opens sockets (not the Worker). */
export type SmtpChannelFactory = (service: ParsedService, label: string) => Channel;

export function smtpChannelFactory(world: SmtpWorld): SmtpChannelFactory {
  return (service, label) => ({
    label,
    display: service.display,
    kind: "service",
    async send(delivery, signal) {
      if (delivery.kind !== "message" || !service.smtp) return { ok: true };
      return sendMail(service.smtp, delivery.message, world, signal);
    },
  });
}
