/**
 * URLs as ddnsd shows them in logs, `/status` and `check`: a query may carry an API key (`?key=…`, DuckDNS's
 * `token=`), so it is never shown; `?…` says there was one. User info (`user:password@`) is dropped too.
 * `secretsOfUrl` hands the same values to the logger's redactor, as a second line of defence for any text that
 * quotes a URL whole (a runtime's network error, a server echoing its request).
 */

/** `scheme://host[:port]/path`, then `?…` when the URL has a query; unparsable text loses everything after `?`/`#`. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}${u.search === "" ? "" : "?…"}`;
  } catch {
    const cut = url.search(/[?#]/);
    return cut < 0 ? url : `${url.slice(0, cut)}?…`;
  }
}

/** Shortest query value treated as a secret: shorter ones (`format=json`, `family=ipv4`) would shred every log line. */
const MIN_SECRET_LENGTH = 8;

/** The query values and the user-info password of `url` that are long enough to be keys. */
export function secretsOfUrl(url: string): string[] {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return [];
  }
  const values = [...u.searchParams.values()];
  if (u.password !== "") values.push(decodeURIComponent(u.password));
  return values.filter((v) => v.length >= MIN_SECRET_LENGTH);
}
