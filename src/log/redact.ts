/**
 * Secret redaction, the last step before any text leaves the process (log lines, status JSON, error messages).
 * A secret can appear raw, URL-encoded (DuckDNS puts its token in the query) or base64-encoded (HTTP Basic auth),
 * so each form is replaced. Secrets shorter than 4 characters are ignored: redacting them would shred every line.
 */
export const REDACTED = "[REDACTED]";

export function createRedactor(secrets: string[]): (text: string) => string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(JSON.stringify(secret).slice(1, -1));
    forms.add(btoa(unescape(encodeURIComponent(secret))).replace(/=+$/, ""));
  }
  // Longest first, so that a secret containing another is replaced whole.
  const ordered = [...forms].filter((f) => f.length >= 4).sort((a, b) => b.length - a.length);
  if (ordered.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const form of ordered) if (out.includes(form)) out = out.split(form).join(REDACTED);
    return out;
  };
}
