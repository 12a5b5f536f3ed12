import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { serveRoutes, type RoutesServer } from "../fakes/routes-server.ts";
import { parseServiceUrl } from "../../src/notify/services/catalogue.ts";
import { createServiceChannel } from "../../src/notify/http-channel.ts";
import type { Endpoints } from "../../src/notify/services/service-types.ts";

/**
 * Each shoutrrr service against a strict local fake: the exact request shoutrrr sends for that URL (method, path
 * and query, the headers it sets, the body byte for byte), written from shoutrrr v0.8's docs/services/<name>.md and
 * pkg/services/<name>/ (read 2026-12-02), and the answer each service gives on success. Services with a fixed host
 * (discord.com, hooks.slack.com, slack.com, api.telegram.org, api.pushover.net) are pointed at the fake.
 */
const MESSAGE = { title: "ddnsd: address changed", body: "home.example.com and 3 others → 203.0.113.7\nnas.example.com → 2001:db8::7" };
const json = (v: unknown, status = 200) => new Response(JSON.stringify(v), { status, headers: { "Content-Type": "application/json" } });

let fake: RoutesServer;
let host: string;
let endpoints: Endpoints;
beforeAll(() => {
  fake = serveRoutes({
    "/hook": () => new Response("", { status: 200 }),
    "/alerts": () => json({ id: "x1", event: "message" }),
    "/gotify/message": () => json({ id: 1, appid: 1, message: "m", title: "t", priority: 0, date: "2026-12-02T00:00:00Z" }),
    "/api/webhooks/693853386302554172/W3dE2OZz4C13_4z_uHfDOoC7BqTW288s": () => new Response(null, { status: 204 }),
    "/services/T000000001/B000000001/XXXXXXXXXXXXXXXXXXXXXXXX": () => new Response("ok"),
    "/api/chat.postMessage": () => json({ ok: true }),
    "/bot110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage": () => json({ ok: true, result: { message_id: 1 } }),
    "/1/messages.json": () => json({ status: 1, request: "r" }),
    "/_matrix/client/r0/login": (req) => (req.method === "GET" ? json({ flows: [{ type: "m.login.password" }] }) : json({ access_token: "syt_issued_token_1234", home_server: "h", user_id: "@ddns:h" })),
    "/_matrix/client/r0/join/%23ops:example.org": () => json({ room_id: "!abc:example.org" }),
    "/_matrix/client/r0/rooms/!abc:example.org/send/m.room.message": () => json({ event_id: "$e1" }),
  });
  host = fake.origin.replace("http://", "");
  endpoints = { discord: fake.origin, slack: fake.origin, slackHooks: fake.origin, telegram: fake.origin, pushover: fake.origin };
});
afterAll(() => fake.stop());

interface Expected {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body: string | ((body: string) => void);
}

const cases: Array<{ name: string; url: () => string; expect: Expected[] }> = [
  {
    name: "generic, template=json, disabletls, a custom header and an extra field",
    url: () => `generic://${host}/hook?template=json&disabletls=yes&@acceptLanguage=tlh-Piqd&$source=ddnsd&keep=1`,
    expect: [{ method: "POST", path: "/hook?keep=1", headers: { "content-type": "application/json", accept: "application/json", "accept-language": "tlh-Piqd" }, body: JSON.stringify({ source: "ddnsd", title: MESSAGE.title, message: MESSAGE.body }) }],
  },
  {
    name: "generic without a template: the message alone",
    url: () => `generic://${host}/hook?disabletls=yes&contenttype=text/plain`,
    expect: [{ method: "POST", path: "/hook", headers: { "content-type": "text/plain" }, body: MESSAGE.body }],
  },
  {
    name: "generic+http shortcut: the query is forwarded whole",
    url: () => `generic+http://${host}/hook?template=json`,
    expect: [{ method: "POST", path: "/hook?template=json", body: MESSAGE.body }],
  },
  {
    name: "ntfy with Basic auth, priority and tags",
    url: () => `ntfy://ddns:pa55word@${host}/alerts?scheme=http&priority=high&tags=globe,house&cache=no`,
    expect: [{ method: "POST", path: "/alerts", headers: { title: MESSAGE.title, priority: "4", tags: "globe,house", cache: "no", authorization: `Basic ${btoa("ddns:pa55word")}` }, body: MESSAGE.body }],
  },
  {
    name: "gotify with a subpath",
    url: () => `gotify://${host}/gotify/AzyoeNS.D4iJLVa/?priority=5&disabletls=yes`,
    expect: [{ method: "POST", path: "/gotify/message?token=AzyoeNS.D4iJLVa", headers: { "content-type": "application/json" }, body: JSON.stringify({ message: MESSAGE.body, title: MESSAGE.title, priority: 5 }) }],
  },
  {
    name: "discord: one embed per line, the title on the first",
    url: () => "discord://W3dE2OZz4C13_4z_uHfDOoC7BqTW288s@693853386302554172?username=ddnsd",
    expect: [
      {
        method: "POST",
        path: "/api/webhooks/693853386302554172/W3dE2OZz4C13_4z_uHfDOoC7BqTW288s",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ embeds: [{ title: MESSAGE.title, description: "home.example.com and 3 others → 203.0.113.7", color: 5298687 }, { description: "nas.example.com → 2001:db8::7", color: 5298687 }], username: "ddnsd" }),
      },
    ],
  },
  {
    name: "slack webhook token",
    url: () => "slack://hook:T000000001-B000000001-XXXXXXXXXXXXXXXXXXXXXXXX@webhook?color=good",
    expect: [{ method: "POST", path: "/services/T000000001/B000000001/XXXXXXXXXXXXXXXXXXXXXXXX", body: JSON.stringify({ text: MESSAGE.title, attachments: [{ text: "home.example.com and 3 others → 203.0.113.7", color: "good" }, { text: "nas.example.com → 2001:db8::7", color: "good" }] }) }],
  },
  {
    name: "slack bot API token and channel",
    url: () => "slack://xoxb:123456789012-1234567890123-4mt0t4l1YL3g1T5L4cK70k3N@C001CH4NN3L?botname=ddnsd",
    expect: [
      {
        method: "POST",
        path: "/api/chat.postMessage",
        headers: { authorization: "Bearer xoxb-123456789012-1234567890123-4mt0t4l1YL3g1T5L4cK70k3N" },
        body: JSON.stringify({ text: MESSAGE.title, username: "ddnsd", attachments: [{ text: "home.example.com and 3 others → 203.0.113.7" }, { text: "nas.example.com → 2001:db8::7" }], channel: "C001CH4NN3L" }),
      },
    ],
  },
  {
    name: "telegram to two chats, one a thread: HTML with the bold title",
    url: () => "telegram://110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw@telegram?chats=@ddnsalerts,-100123:7&notification=no",
    expect: ["@ddnsalerts", "-100123"].map((chat) => ({
      method: "POST",
      path: "/bot110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage",
      body: JSON.stringify({
        text: `<b>${MESSAGE.title}</b>\n${MESSAGE.body}`,
        chat_id: chat,
        ...(chat === "-100123" ? { message_thread_id: 7 } : {}),
        parse_mode: "HTML",
        disable_web_page_preview: false,
        disable_notification: true,
        reply_to_message_id: 0,
      }),
    })),
  },
  {
    name: "pushover, form-encoded with sorted keys",
    url: () => "pushover://shoutrrr:azGDORePK8gMaC0QOYAMyEEuzJnyUi@uQiRzpo4DXghDmr9QzzfQu27cmVRsG/?devices=phone,tablet&priority=1",
    expect: [
      {
        method: "POST",
        path: "/1/messages.json",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams([["device", "phone,tablet"], ["message", MESSAGE.body], ["priority", "1"], ["title", MESSAGE.title], ["token", "azGDORePK8gMaC0QOYAMyEEuzJnyUi"], ["user", "uQiRzpo4DXghDmr9QzzfQu27cmVRsG"]]).toString(),
      },
    ],
  },
  {
    name: "matrix: password login, join the alias, send m.text",
    url: () => `matrix://ddns:hunter2hunter2@${host}/?rooms=ops:example.org&disableTLS=yes`,
    expect: [
      { method: "GET", path: "/_matrix/client/r0/login", body: "" },
      { method: "POST", path: "/_matrix/client/r0/login", body: JSON.stringify({ type: "m.login.password", identifier: { type: "m.id.user", user: "ddns" }, password: "hunter2hunter2" }) },
      { method: "POST", path: "/_matrix/client/r0/join/%23ops:example.org?access_token=syt_issued_token_1234", body: "null" },
      { method: "POST", path: "/_matrix/client/r0/rooms/!abc:example.org/send/m.room.message?access_token=syt_issued_token_1234", body: JSON.stringify({ msgtype: "m.text", body: MESSAGE.body }) },
    ],
  },
];

describe("each service sends the request shoutrrr documents", () => {
  it.each(cases)("$name", async ({ url, expect: expected }) => {
    const parsed = parseServiceUrl(url(), endpoints);
    if (!parsed.ok) throw new Error(parsed.problem);
    fake.seen.length = 0;
    const channel = createServiceChannel(parsed.service, "t", { fetch, now: Date.now, userAgent: "ddnsd-test", timeoutMs: 5000 });
    const result = await channel.send({ kind: "message", message: MESSAGE }, new AbortController().signal);
    expect(result).toEqual({ ok: true });
    expect(fake.seen.map((s) => `${s.method} ${s.path}`)).toEqual(expected.map((e) => `${e.method} ${e.path}`));
    expected.forEach((e, i) => {
      const seen = fake.seen[i]!;
      expect(seen.body).toBe(e.body as string);
      for (const [name, value] of Object.entries(e.headers ?? {})) expect({ name, value: seen.headers.get(name) }).toEqual({ name, value });
    });
  });
});

describe("a service's answer that is not success is a failure", () => {
  it.each([
    { name: "discord answering 200 instead of 204", url: "discord://tok3nn@42", path: "/api/webhooks/42/tok3nn", answer: () => new Response("{}"), problem: "Discord answered HTTP 200, not 204" },
    { name: "slack API answering ok:false", url: "slack://xoxb:123456789012-1234567890123-4mt0t4l1YL3g1T5L4cK70k3N@C1", path: "/api/chat.postMessage", answer: () => json({ ok: false, error: "channel_not_found" }), problem: 'Slack answered error "channel_not_found"' },
    { name: "ntfy answering 403", url: "ntfy://HOST/denied?scheme=http", path: "/denied", answer: () => json({ code: 40301, error: "forbidden" }, 403), problem: 'HTTP 403: "{\\"code\\":40301,\\"error\\":\\"forbidden\\"}"' },
  ])("$name", async ({ url, path, answer, problem }) => {
    const server = serveRoutes({ [path]: answer });
    try {
      const parsed = parseServiceUrl(url.replace("HOST", server.origin.replace("http://", "")), { discord: server.origin, slack: server.origin });
      if (!parsed.ok) throw new Error(parsed.problem);
      const channel = createServiceChannel(parsed.service, "t", { fetch, now: Date.now, userAgent: "ddnsd-test", timeoutMs: 5000 });
      expect(await channel.send({ kind: "message", message: MESSAGE }, new AbortController().signal)).toEqual({ ok: false, problem, transient: false });
    } finally {
      await server.stop();
    }
  });
});
