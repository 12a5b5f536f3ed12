import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { eximInstalled, startExim, type EximPeer } from "../peers/exim-peer.ts";
import { parseServiceUrl } from "../../src/notify/services/catalogue.ts";
import { sendMail } from "../../src/notify/smtp-session.ts";

/**
 * The smtp channel against a real SMTP server (exim4 on loopback, tests/peers/exim-peer.ts): STARTTLS and TLS on
 * connect, AUTH PLAIN, one mail per recipient with shoutrrr's headers, a dot at a line's start kept, a wrong
 * password refused in the server's words without the password.
 */
let exim: EximPeer;
const MESSAGE = { title: "ddnsd: address changed", body: "home.example.com and 3 others → 203.0.113.7\n.a line that starts with a dot" };
const send = (url: string) => {
  const parsed = parseServiceUrl(url);
  if (!parsed.ok) throw new Error(parsed.problem);
  return sendMail(parsed.service.smtp!, MESSAGE, { timeoutMs: 10_000, now: () => Date.UTC(2026, 11, 2, 13, 7, 32), ca: exim.ca }, new AbortController().signal);
};

describe.skipIf(!eximInstalled())("smtp against exim4", () => {
  beforeAll(async () => {
    exim = await startExim();
  });
  afterAll(() => exim?.stop());

  it.each([
    { name: "STARTTLS on the submission port, two recipients", url: () => `smtp://${exim.user}:${exim.password}@localhost:${exim.startTlsPort}/?from=ddns@example.com&fromname=ddnsd&to=me@example.com,you@example.com`, to: ["me@example.com", "you@example.com"] },
    { name: "TLS on connect (encryption=ImplicitTLS)", url: () => `smtp://${exim.user}:${exim.password}@localhost:${exim.implicitTlsPort}/?from=ddns@example.com&to=ops@example.com&encryption=ImplicitTLS&subject=DNS+news`, to: ["ops@example.com"] },
  ])("$name", async ({ url, to }) => {
    const before = (await exim.mails()).length;
    expect(await send(url())).toEqual({ ok: true });
    const mails = await waitForMails(before + to.length);
    // Each case has recipients of its own: its mails are found by their To header (Maildir names do not sort in order).
    const mine = to.map((rcpt) => mails.filter((m) => m.includes(`\nTo: ${rcpt}\n`)));
    expect(mine.map((m) => m.length)).toEqual(to.map(() => 1));
    for (const [mail] of mine) {
      expect(mail).toMatch(/with esmtpsa\s+\(TLS1\.[23]\)/);
      expect(mail).toContain("Date: Wed, 02 Dec 2026 13:07:32 +0000\n");
      expect(mail).toContain('MIME-version: 1.0\nContent-Type: text/plain; charset="UTF-8"\n\nhome.example.com and 3 others → 203.0.113.7\n.a line that starts with a dot\n');
    }
    const first = mine[0]![0]!;
    if (to.length === 2) expect(first).toContain("Subject: ddnsd: address changed\n"), expect(first).toContain("From: ddnsd <ddns@example.com>\n");
    else expect(first).toContain("Subject: DNS news\n");
  });

  it("a wrong password is the server's refusal, without the password", async () => {
    const result = await send(`smtp://${exim.user}:wrong-pa55word@localhost:${exim.startTlsPort}/?from=ddns@example.com&to=me@example.com`);
    expect(result).toEqual({ ok: false, problem: 'AUTH PLAIN: the server answered 535 "Incorrect authentication data"', transient: false });
  });
});

async function waitForMails(n: number): Promise<string[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const mails = await exim.mails();
    if (mails.length >= n || Date.now() > deadline) return mails;
    await new Promise((r) => setTimeout(r, 100));
  }
}
