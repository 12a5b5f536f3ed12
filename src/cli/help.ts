import { variableHelpLines } from "../config/variable-docs.ts";
import { VERSION } from "../core/version.ts";

export const HELP_TEXT = `ddnsd ${VERSION} — keeps DNS records pointing at this machine's public addresses

Usage:
  ddnsd [run] [--dry-run]   run the daemon (default): exit 0 on SIGTERM/SIGINT, 1 config error, 2 runtime error
  ddnsd once [--dry-run]    one detect-and-reconcile pass: exit 0 when every record is confirmed, 1 config error, 2 otherwise
  ddnsd check               validate the configuration and print it with secrets redacted: exit 0 valid, 1 invalid
  ddnsd healthcheck         GET /healthz on DDNS_HTTP_ADDR: exit 0 healthy, 1 not
  ddnsd providers           list every provider id, the service's name and its variables
  ddnsd --version | --help

  --dry-run                 detect and read the provider, log the writes it would make, write nothing

Configuration comes from the environment (no .env file is read; a _FILE variable names a secret file), and
DDNS_CONFIG_FILE for several targets. Every variable, with its default (details: docs/OPS.md, "Configuration");
the variables of one provider only: ddnsd providers.
${variableHelpLines().join("\n")}
`;
