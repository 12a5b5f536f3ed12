import type { LoggedRequest } from "./fake-service.ts";

/**
 * What a fake was sent that the test cannot know in advance — the tokens a sign-in bought, a login's session id —
 * so that a test can check none of it reaches a message, a log line or /status, whole or in part.
 */

/** The distinct Bearer tokens of the requests (TransIP's JWT, an OAuth access token). */
export const bearerTokensSent = (requests: readonly LoggedRequest[]): string[] =>
  [...new Set(requests.flatMap((r) => /^bearer (\S+)$/i.exec(r.headers.authorization ?? "")?.[1] ?? []))];

/** The distinct values of one JSON body field anywhere in the requests' bodies (netcup's `apisessionid`). */
export const bodyFieldsSent = (requests: readonly LoggedRequest[], field: string): string[] =>
  [...new Set(requests.flatMap((r) => [...r.body.matchAll(new RegExp(`"${field}":"([^"]+)"`, "g"))].map((m) => m[1]!)))];

/** Every run of `width` characters of each secret that occurs in `text` (a cut secret is a leak too). */
export function leakedPieces(text: string, secrets: readonly string[], width = 12): string[] {
  return secrets.flatMap((s) => Array.from({ length: Math.max(0, s.length - width + 1) }, (_, i) => s.slice(i, i + width))).filter((p) => text.includes(p));
}
