/**
 * Built-in "what is my IP" endpoints, tried in order with hedging (see http-source.ts). Cloudflare's trace on
 * IP-literal hosts needs no DNS and forces the family by the address we connect to; the others are independent
 * services so that one outage or block does not stop detection.
 */
export const DEFAULT_URLS_V4: string[] = [
  "https://1.1.1.1/cdn-cgi/trace",
  "https://api.ipify.org",
  "https://ipv4.icanhazip.com",
];

export const DEFAULT_URLS_V6: string[] = [
  "https://[2606:4700:4700::1111]/cdn-cgi/trace",
  "https://api6.ipify.org",
  "https://ipv6.icanhazip.com",
];
