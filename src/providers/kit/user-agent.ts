/**
 * The User-Agent every HTTP provider sends. DynDNS2 services ask for one that names the program, its version and
 * a contact (they block clients without one); the other APIs get the same, so an operator can find ddnsd's
 * requests in a service's logs.
 */
export const PROJECT_URL = "https://github.com/ddnsd/ddnsd";

/** Used where no version is at hand (tests, direct factory calls). */
export const DEFAULT_USER_AGENT = `ddnsd (+${PROJECT_URL})`;

/** `ddnsd/<version> (+<project URL>)`. */
export function ddnsdUserAgent(version: string): string {
  return `ddnsd/${version} (+${PROJECT_URL})`;
}
