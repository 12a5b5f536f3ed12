/** The release version; kept equal to package.json's (a test checks it). */
export const VERSION = "0.1.0";
export const USER_AGENT = `ddnsd/${VERSION} (+https://github.com/ddnsd/ddnsd)`;
