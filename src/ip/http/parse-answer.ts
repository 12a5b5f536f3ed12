import { checkPublishable } from "../../core/address-rules.ts";
import type { Family } from "../../core/family.ts";

/**
 * Reads one "what is my IP" answer: either a bare address (optionally followed by a newline) or Cloudflare's
 * `/cdn-cgi/trace` format (`key=value` lines with `ip=`). The answer must contain exactly one address, of the
 * requested family, that may be published. Pure; never throws.
 */
export function parseIpAnswer(
  body: string,
  family: Family,
  options: { allowPrivate: boolean },
): { ok: true; address: string } | { ok: false; reason: string } {
  const text = body.trim();
  if (text === "") return { ok: false, reason: "the answer was empty" };
  let candidate: string;
  if (/^[a-z_]+=/m.test(text) && text.includes("\n")) {
    const ips = text.split(/\r?\n/).filter((l) => l.startsWith("ip=")).map((l) => l.slice(3).trim());
    if (ips.length !== 1) return { ok: false, reason: `the trace answer has ${ips.length} "ip=" lines, expected exactly one` };
    candidate = ips[0]!;
  } else {
    const words = text.split(/\s+/);
    if (words.length !== 1) {
      const preview = JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
      return { ok: false, reason: `the answer is not a single address: ${preview}` };
    }
    candidate = words[0]!;
  }
  const verdict = checkPublishable(candidate, family, options);
  return verdict.ok ? verdict : { ok: false, reason: verdict.reason };
}
