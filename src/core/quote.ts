/**
 * The one way untrusted or operator-given text enters a message: JSON string syntax (quotes, escapes for control
 * characters), cut to `max` characters with an ellipsis. Redact secrets before quoting, never after: a cut could
 * leave part of a secret that the redactor no longer recognises.
 */
export function quote(text: string, max = 120): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

/** A list of quoted values, e.g. `"a", "b" and 3 more`. */
export function quoteList(values: readonly string[], shown = 5, max = 80): string {
  const head = values.slice(0, shown).map((v) => quote(v, max)).join(", ");
  return values.length > shown ? `${head} and ${values.length - shown} more` : head;
}
