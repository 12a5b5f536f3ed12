import { parseAddress } from "../../core/address-rules.ts";
import { quote } from "../dyndns2/return-codes.ts";

/**
 * DuckDNS answers (spec.jsp): `OK` or `KO`; with `verbose=true` an OK is four lines —
 * `OK`, the IPv4 address (may be blank), the IPv6 address (may be blank), `UPDATED` or `NOCHANGE`.
 * Anything else (HTML error pages, proxies) is not an answer and the update stays unconfirmed.
 */
export type DuckAnswer =
  | { kind: "ok"; changed?: boolean; ipv4?: string; ipv6?: string }
  | { kind: "refused" }
  | { kind: "unknown"; shown: string };

export function parseDuckAnswer(body: string): DuckAnswer {
  const lines = body.replace(/\r/g, "").replace(/\n+$/, "").split("\n").map((l) => l.trim());
  const head = lines[0] ?? "";
  if (head === "KO" && lines.every((l, i) => i === 0 || l === "")) return { kind: "refused" };
  if (head !== "OK") return { kind: "unknown", shown: head === "" ? "an empty body" : quote(head) };
  if (lines.length === 1) return { kind: "ok" };
  const [, ipv4 = "", ipv6 = "", status = ""] = lines;
  if (lines.length > 4 || (status !== "UPDATED" && status !== "NOCHANGE")) {
    return { kind: "unknown", shown: quote(lines.join(" ")) };
  }
  return {
    kind: "ok",
    changed: status === "UPDATED",
    ...(ipv4 === "" ? {} : { ipv4 }),
    ...(ipv6 === "" ? {} : { ipv6 }),
  };
}

/**
 * Whether a verbose OK shows the addresses that were sent. A plain OK shows none and counts as shown.
 * Returns the first address that the answer contradicts, or `undefined`.
 */
export function contradicted(answer: Extract<DuckAnswer, { kind: "ok" }>, sent: { v4?: string; v6?: string }): string | undefined {
  if (answer.changed === undefined) return undefined;
  const same = (a: string | undefined, b: string) => a !== undefined && (parseAddress(a)?.address ?? a) === b;
  if (sent.v4 !== undefined && !same(answer.ipv4, sent.v4)) return sent.v4;
  if (sent.v6 !== undefined && !same(answer.ipv6, sent.v6)) return sent.v6;
  return undefined;
}

/** How the answer is quoted in messages. */
export function describeDuckAnswer(answer: DuckAnswer): string {
  if (answer.kind === "refused") return '"KO"';
  if (answer.kind === "unknown") return answer.shown;
  const parts = ["OK", answer.ipv4 ?? "", answer.ipv6 ?? ""];
  if (answer.changed !== undefined) parts.push(answer.changed ? "UPDATED" : "NOCHANGE");
  return quote(parts.join(" ").replace(/\s+/g, " ").trim());
}
