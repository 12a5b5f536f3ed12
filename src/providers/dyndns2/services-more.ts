/**
 * More DynDNS2 services (issue 15), each a provider id of its own; the fields are those of `DynDns2Service`
 * (services.ts checks them). Consulted 2026-12-02: each service's page named below, cross-checked with
 * qdm12/ddns-updater internal/provider/providers/<name>/provider.go (commit 4b18087, 2026-08-14) and ddclient.in
 * (commit f4dcf6f, 2026-06-21). Where the sources are silent the safe choice is taken and said here:
 * - one hostname per request unless the service documents a list (ddnsd never needs more);
 * - IPv4 only where nothing documents how the service takes an IPv6 address.
 */
export const MORE_DYNDNS2_SERVICES = {
  // Dyn "Perform Update" (help.dyn.com): /v3/update, up to 20 hostnames, the password is the updater client key.
  dyn: {
    label: "Dyn",
    baseUrl: "https://members.dyndns.org",
    path: "/v3/update",
    ipv6Param: "myip",
    maxHosts: 20,
    usernameHint: "the Dyn user name",
    usernameExample: "myuser",
    passwordHint: "the account's updater client key",
  },
  // dns.he.net's dynamic-DNS help, ddclient `he.net`, ddns-updater `he`: the user name is the record's hostname,
  // the password the key generated for that record; A and AAAA in separate requests, both in `myip`.
  he: {
    label: "Hurricane Electric",
    baseUrl: "https://dyn.dns.he.net",
    path: "/nic/update",
    ipv6Param: "myip",
    maxHosts: 1,
    usernameHint: "none: the hostname is the user name",
    usernameExample: "",
    passwordHint: "the record's dynamic DNS key (one key per record: one target per record)",
    hostUser: true,
  },
  // STRATO "DynDNS" FAQ, ddns-updater `strato`: the user name is the domain, the password its DynDNS password.
  strato: {
    label: "STRATO",
    baseUrl: "https://dyndns.strato.com",
    path: "/nic/update",
    ipv6Param: "myip",
    maxHosts: 1,
    usernameHint: "the domain the DynDNS password belongs to",
    usernameExample: "example.com",
    passwordHint: "the domain's DynDNS password",
  },
  // selfHOST "API Update Schnittstelle": HTTP Basic auth with the DynAccount; answers are also HTTP statuses
  // (204 IP not changed, 401 account closed, 409 no zones found, 410 account inactive, 503 overloaded).
  selfhost: {
    label: "selfHOST",
    baseUrl: "https://carol.selfhost.de",
    path: "/nic/update",
    ipv6Param: null,
    maxHosts: 1,
    usernameHint: "the DynDNS account's ID (not the customer login)",
    usernameExample: "123456",
    passwordHint: "the DynDNS account's password",
    statusCodes: { 204: "nochg", 401: "badauth", 409: "nohost", 410: "!donator", 503: "911" },
  },
  // Securepoint spDYN "Parameter" and "Rückgabecodes" (wiki.securepoint.de, 08.2022): with an update token the
  // user name is the hostname and a request names one host; `fatal` = the host was disabled by hand.
  spdyn: {
    label: "spDYN",
    baseUrl: "https://update.spdyn.de",
    path: "/nic/update",
    ipv6Param: "myip",
    maxHosts: 1,
    usernameHint: "the spDYN user name, or the hostname when the password is the host's update token",
    usernameExample: "myhost.spdns.de",
    passwordHint: "the host's update token or the account password",
  },
  // ChangeIP (ddclient `changeip`, ddns-updater `changeip`): `ip` instead of `myip`, success is a body that
  // says "Successful Update"; anything else is not a confirmation.
  changeip: {
    label: "ChangeIP",
    baseUrl: "https://nic.changeip.com",
    path: "/nic/update",
    ipv6Param: null,
    maxHosts: 1,
    usernameHint: "the ChangeIP user name",
    usernameExample: "myuser",
    passwordHint: "the ChangeIP password",
    ipParam: "ip",
    successPattern: /\bsuccessful update\b/i,
  },
  // Now-DNS "Updating" (now-dns.com), ddns-updater `nowdns`: /update, refusals (nohost, badauth) as HTTP 400.
  nowdns: {
    label: "Now-DNS",
    baseUrl: "https://now-dns.com",
    path: "/update",
    ipv6Param: "myip",
    maxHosts: 1,
    usernameHint: "the account e-mail address",
    usernameExample: "me@example.com",
    passwordHint: "the Now-DNS password",
  },
  // DNS-O-Matic "API Documentation" 0.9 (updates.dnsomatic.com/docs/api): wildcard/mx/backmx NOCHG keep the
  // settings of each service it feeds; IPv4 (the API documents `myip` as an IP address of OpenDNS' kind).
  dnsomatic: {
    label: "DNS-O-Matic",
    baseUrl: "https://updates.dnsomatic.com",
    path: "/nic/update",
    ipv6Param: null,
    maxHosts: 1,
    usernameHint: "the DNS-O-Matic (OpenDNS) user name",
    usernameExample: "me@example.com",
    passwordHint: "the DNS-O-Matic password",
    extraQuery: { wildcard: "NOCHG", mx: "NOCHG", backmx: "NOCHG" },
  },
  // variomedia (ddns-updater `variomedia`): IPv4 at dyndns4.variomedia.de, IPv6 at another host (dyndns6) that
  // no source documents further: IPv4 only.
  variomedia: {
    label: "variomedia",
    baseUrl: "https://dyndns4.variomedia.de",
    path: "/nic/update",
    ipv6Param: null,
    maxHosts: 1,
    usernameHint: "the variomedia account e-mail address",
    usernameExample: "me@example.com",
    passwordHint: "the variomedia DynDNS password",
  },
  // Gigahost (ddns-updater `gigahostno`): /api/v0/dns/dyndns with `myip` and `myipv6`, good/nochg/badauth answers.
  gigahost: {
    label: "Gigahost",
    baseUrl: "https://api.gigahost.no",
    path: "/api/v0/dns/dyndns",
    ipv6Param: "myipv6",
    maxHosts: 1,
    usernameHint: "the Gigahost account e-mail address",
    usernameExample: "me@example.com",
    passwordHint: "the Gigahost password",
  },
  // INWX (ddclient `inwx`, as of June 2024): the hostname comes from the DynDNS login; a request without `myip`
  // sets the A record to 127.0.0.1 and one without `myipv6` deletes the AAAA record — so IPv4 only here.
  inwx: {
    label: "INWX",
    baseUrl: "https://dyndns.inwx.com",
    path: "/nic/update",
    ipv6Param: null,
    maxHosts: 1,
    usernameHint: "the INWX DynDNS account's user name (not the INWX login)",
    usernameExample: "myuser",
    passwordHint: "the INWX DynDNS account's password",
  },
  // IPv64 "DynDNS Updater API" (ipv64.net/dyndns_updater_api): /nic/update, Basic auth "{xyz}:{token}" (any user
  // name), `myip` and `myipv6` in one request; limits: 3 requests in 10 s, 48 updates a day by default.
  ipv64: {
    label: "IPv64",
    baseUrl: "https://ipv64.net",
    path: "/nic/update",
    ipv6Param: "myipv6",
    maxHosts: 1,
    usernameHint: "any non-empty value, e.g. none (the password is the domain update token)",
    usernameExample: "none",
    passwordHint: "the account's domain update token",
  },
} as const;
