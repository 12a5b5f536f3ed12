/**
 * TXT record data in zone-file presentation form, as the APIs that take it so document or their clients write it
 * (Hetzner Cloud, Gandi LiveDNS, Cloud DNS, Scaleway; RFC 1035 §5.1): one or more character-strings, each in double
 * quotes, separated by blanks, at most 255 octets each once `\"`, `\\` and `\DDD` escapes are read. A fake that
 * takes TXT values checks them with this, so a provider that sends the bare text is refused as the service would
 * store (or refuse) something else. Pure.
 */
const STRING = /"((?:[^"\\]|\\[0-9]{3}|\\[^0-9])*)"/y;

/** Octets of one character-string's inside, escapes read. */
function octets(inside: string): number {
  const plain = inside.replace(/\\[0-9]{3}/g, "x").replace(/\\(.)/g, "$1");
  return new TextEncoder().encode(plain).length;
}

/** Why `value` is not presentation-form TXT data, or undefined when it is. */
export function txtProblem(value: string): string | undefined {
  let at = 0;
  let strings = 0;
  while (at < value.length) {
    if (/\s/.test(value[at]!)) {
      at++;
      continue;
    }
    STRING.lastIndex = at;
    const m = STRING.exec(value);
    if (!m) return `${JSON.stringify(value)} is not TXT data in zone-file syntax: each character-string must be in double quotes`;
    if (octets(m[1]!) > 255) return `${JSON.stringify(value)} has a character-string longer than 255 characters: split it`;
    strings++;
    at = STRING.lastIndex;
  }
  return strings === 0 ? `${JSON.stringify(value)} holds no character-string` : undefined;
}
