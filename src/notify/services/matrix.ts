import type { CallResult, ServiceDefinition } from "./service-types.ts";
import { decode, displayOf, jsonOf, parseBool, queryOptions, unknownKey } from "./url-parts.ts";

/**
 * shoutrrr's matrix (docs/services/matrix.md, pkg/services/matrix/; Matrix client-server API r0):
 * `matrix://user:password@host[:port]/?rooms=!id,#alias&disableTLS=yes`; with no user, the password is an access
 * token. With a user: GET /_matrix/client/r0/login (must offer m.login.password), POST it
 * `{"type":"m.login.password","identifier":{"type":"m.id.user","user"},"password"}`. Then per room of `rooms`
 * (a name without `#`/`!` gets `#`): POST /join/ROOM (body `null`) → room_id, POST /rooms/ID/send/m.room.message
 * `{"msgtype":"m.text","body"}`; without rooms, to every room of GET /joined_rooms. `?access_token=` on each call.
 */
const KEYS = ["disabletls", "rooms", "room", "title"];
const API = "/_matrix/client/r0";
const pathPart = (s: string) => encodeURIComponent(s).replace(/%3A/gi, ":");

export const matrix: ServiceDefinition = {
  scheme: "matrix",
  form: "matrix://user:password@host[:port]/?rooms=!roomid,#alias",
  parse(url) {
    const o = queryOptions(url);
    const bad = unknownKey(o, KEYS);
    if (bad !== undefined) return { ok: false, problem: `${JSON.stringify(bad)} is not a matrix option (${KEYS.join(", ")})` };
    if (url.host === "") return { ok: false, problem: "the host is missing" };
    const user = decode(url.username);
    const password = decode(url.password);
    if (password === "") return { ok: false, problem: "the password (or, with no user, the access token) is missing" };
    const disableTls = parseBool(o.get("disabletls"), false);
    if (disableTls === undefined) return { ok: false, problem: "disableTLS must be yes or no" };
    const rooms = (o.get("rooms") ?? o.get("room") ?? "").split(",").map((r) => r.trim()).filter(Boolean).map((r) => (r.startsWith("#") || r.startsWith("!") ? r : `#${r}`));
    const base = `${disableTls ? "http" : "https"}://${url.host}${API}`;
    const json = { "Content-Type": "application/json" };
    const answer = (r: CallResult, key: string): string | CallResult => {
      if (!r.ok) return r;
      const v = jsonOf(r.text)?.[key];
      return typeof v === "string" || Array.isArray(v) ? (v as string) : { ok: false, problem: `the Matrix server's answer has no ${key}`, transient: false };
    };
    return {
      ok: true,
      service: {
        scheme: "matrix",
        display: displayOf(url, "matrix"),
        secrets: [password],
        async deliver(m, call) {
          let token = password;
          if (user !== "") {
            const flows = await call({ method: "GET", url: `${base}/login`, headers: {} });
            if (!flows.ok) return flows;
            const types = ((jsonOf(flows.text)?.flows as Array<{ type?: string }> | undefined) ?? []).map((f) => f.type);
            if (!types.includes("m.login.password")) return { ok: false, problem: `the Matrix server offers no password login (${types.join(", ") || "no flows"})`, transient: false };
            const login = { type: "m.login.password", identifier: { type: "m.id.user", user }, password };
            const t = answer(await call({ method: "POST", url: `${base}/login`, headers: json, body: JSON.stringify(login) }), "access_token");
            if (typeof t !== "string") return t;
            token = t;
          }
          const q = `?access_token=${encodeURIComponent(token)}`;
          let ids: string[] = [];
          if (rooms.length === 0) {
            const joined = answer(await call({ method: "GET", url: `${base}/joined_rooms${q}`, headers: {} }), "joined_rooms");
            if (typeof joined !== "string" && !Array.isArray(joined)) return joined;
            ids = joined as unknown as string[];
          } else {
            for (const room of rooms) {
              const id = answer(await call({ method: "POST", url: `${base}/join/${pathPart(room)}${q}`, headers: json, body: "null" }), "room_id");
              if (typeof id !== "string") return id;
              ids.push(id);
            }
          }
          let last: CallResult = { ok: true, status: 200, text: "" };
          for (const id of ids) {
            last = await call({ method: "POST", url: `${base}/rooms/${pathPart(id)}/send/m.room.message${q}`, headers: json, body: JSON.stringify({ msgtype: "m.text", body: m.body }) });
            if (!last.ok) return last;
          }
          return last;
        },
      },
    };
  },
};
