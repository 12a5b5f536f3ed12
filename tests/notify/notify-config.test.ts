import { describe, expect, it } from "bun:test";
import { loadConfig } from "../../src/config/load-config.ts";
import { renderEffectiveConfig } from "../../src/config/print-config.ts";
import { ConfigError } from "../../src/core/errors.ts";
import { splitUrlList } from "../../src/notify/services/catalogue.ts";
import { ALL_PROVIDERS } from "../../src/providers/registry.ts";

/**
 * DDNS_NOTIFY_URLS and the heartbeat URLs are read and checked at start: a bad URL is a configuration error that
 * names the variable and the URL's position, never any part of the URL that could be a secret; `check` shows each
 * URL as its service and host only.
 */
const BASE = { DDNS_PROVIDER_TYPE: "cloudflare", DDNS_PROVIDER_API_TOKEN: "cf-token-0123456789", DDNS_RECORDS: "home.example.com" };
const files: Record<string, string> = { "/run/secrets/notify": "ntfy://ntfy.example.com/s3cr3t-topic-name\ngeneric://hooks.example.com/hook-path-s3cr3t?template=json\n" };
const readFile = (path: string) => {
  if (path in files) return files[path]!;
  throw Object.assign(new Error("no"), { code: "ENOENT" });
};
const load = (env: Record<string, string>) => loadConfig({ env: { ...BASE, ...env }, readFile, providers: ALL_PROVIDERS });
function errorOf(env: Record<string, string>): string {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error("no configuration error");
}

describe("DDNS_NOTIFY_URLS is checked at start", () => {
  it.each([
    {
      name: "an unknown scheme, by position and scheme",
      value: "ntfy://ntfy.example.com/topic-s3cr3t,ntfyy://tok3n-s3cr3t@ntfy.example.com/x",
      message: 'DDNS_NOTIFY_URLS: URL 2 of 2 uses the unknown service "ntfyy" (known: generic, ntfy, gotify, discord, slack, telegram, pushover, matrix, smtp).',
    },
    { name: "not a URL at all", value: "tok3n-s3cr3t-only", message: "DDNS_NOTIFY_URLS: URL 1 of 1 is not a URL (expected scheme://…)." },
    {
      name: "a malformed URL",
      value: "discord://tok3n-s3cr3t@[bad",
      message: "DDNS_NOTIFY_URLS: URL 1 of 1 (discord) is not a well-formed URL; the form is discord://token@webhookid.",
    },
    {
      name: "a gotify token that cannot be one",
      value: "gotify://gotify.example.com/not-a-tok3n-s3cr3t",
      message: "DDNS_NOTIFY_URLS: URL 1 of 1 (gotify): the last path segment must be the application token (15 characters, starting with A); the form is gotify://host[:port][/subpath]/token[?priority=5].",
    },
    {
      name: "telegram without chats",
      value: "telegram://110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw@telegram",
      message: "DDNS_NOTIFY_URLS: URL 1 of 1 (telegram): no chats given (?chats=@channel or a chat id); the form is telegram://TOKEN@telegram?chats=@channel,CHAT_ID.",
    },
    {
      name: "an option the service does not have",
      value: "ntfy://ntfy.example.com/topic-s3cr3t?prio=5",
      message:
        'DDNS_NOTIFY_URLS: URL 1 of 1 (ntfy): "prio" is not an ntfy option (title, scheme, tags, priority, actions, click, attach, filename, delay, at, in, email, icon, cache, firebase); the form is ntfy://[user:password@]host[:port]/topic[?priority=high&tags=…].',
    },
  ])("$name", ({ value, message }) => {
    const got = errorOf({ DDNS_NOTIFY_URLS: value });
    expect(got).toBe(message);
    expect(got).not.toContain("s3cr3t");
    expect(got).not.toContain("AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw");
  });

  it.each<{ name: string; env: Record<string, string>; message: string }>([
    { name: "healthchecks: not a URL", env: { DDNS_HEALTHCHECKS_URL: "hc-ping-uuid" }, message: "DDNS_HEALTHCHECKS_URL is not a well-formed URL." },
    { name: "uptime kuma: not http", env: { DDNS_UPTIMEKUMA_URL: "ftp://kuma.example.com/api/push/x" }, message: "DDNS_UPTIMEKUMA_URL must be an http:// or https:// URL." },
  ])("$name", ({ env, message }) => {
    expect(errorOf(env)).toBe(message);
  });

  it("splits on commas only before another scheme, and on newlines", () => {
    expect(splitUrlList("telegram://1:a@telegram?chats=@a,@b, pushover://x:y@u/?devices=p,q\nntfy://h/t")).toEqual([
      "telegram://1:a@telegram?chats=@a,@b",
      "pushover://x:y@u/?devices=p,q",
      "ntfy://h/t",
    ]);
  });
});

describe("ddnsd check shows the notification settings redacted", () => {
  it("each URL as its service and host, from DDNS_NOTIFY_URLS_FILE, and the heartbeats", () => {
    const { config } = load({
      DDNS_NOTIFY_URLS_FILE: "/run/secrets/notify",
      DDNS_HEALTHCHECKS_URL: "https://hc-ping.com/5b4f1c3e-8f5e-4c1a-9a4e-0123456789ab",
      DDNS_UPTIMEKUMA_URL: "https://kuma.example.com/api/push/Kum4Pu5hT0ken?status=up&msg=OK&ping=",
    });
    const lines = renderEffectiveConfig(config, ALL_PROVIDERS).filter((l) => /NOTIFY|HEALTH|KUMA/.test(l));
    expect(lines).toEqual([
      "DDNS_NOTIFY_URLS=ntfy://ntfy.example.com/[REDACTED],generic://hooks.example.com/[REDACTED]?…",
      "DDNS_HEALTHCHECKS_URL=https://hc-ping.com/[REDACTED]",
      "DDNS_UPTIMEKUMA_URL=https://kuma.example.com/[REDACTED]?…",
    ]);
  });
});
