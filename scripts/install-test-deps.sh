#!/usr/bin/env bash
# Installs what the test suite needs beyond Bun and the npm packages: Deno (from npm) and the real peers and
# tools from Debian (DNS servers, promtool, podman, iproute2, chromium for the status page's browser test, exim4 for the smtp notification channel,
# miniupnpd for the router source's lab).
# Idempotent: only what is missing is installed.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

if ! command -v deno >/dev/null 2>&1; then
  echo "Installing Deno from npm…"
  npm install -g deno >/dev/null
fi
# The Deno tests run `deno task start` without node_modules: the npm packages come from Deno's cache. Fill it now,
# trusting the system's CA store (a TLS-inspecting proxy's CA is there, not in Deno's bundled roots).
DENO_TLS_CA_STORE=system deno cache --quiet --node-modules-dir=none src/main.ts

# binary → Debian package
declare -A NEED=(
  [knotd]=knot
  [named]=bind9
  [dig]=bind9-dnsutils
  [pdns_server]=pdns-server
  [sqlite3]=sqlite3
  [promtool]=prometheus
  [podman]=podman
  [podman-compose]=podman-compose
  [runc]=runc
  [ip]=iproute2
  [systemd-analyze]=systemd
  [curl]=curl
  [wget]=wget
  [ddclient]=ddclient
  [inadyn]=inadyn
  [chromium]=chromium
  [exim4]=exim4-daemon-light
)
missing=()
for bin in "${!NEED[@]}"; do
  if ! command -v "$bin" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$bin" ]; then missing+=("${NEED[$bin]}"); fi
done
if [ ! -d /usr/lib/x86_64-linux-gnu/pdns ] || ! ls /usr/lib/x86_64-linux-gnu/pdns/libgsqlite3backend.so >/dev/null 2>&1; then
  missing+=(pdns-backend-sqlite3)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q >/dev/null
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
# tests/deploy: podman's runtime pieces (runc, slirp4netns, netavark, aardvark-dns, iptables, podman-compose,
# systemd-analyze) and the quadlet generator from Debian trixie, cached in /var/cache/ddnsd-ci
bash "$(dirname "$0")/install-deploy-deps.sh"
# tests/netns/router.ts: miniupnpd (IGD, NAT-PMP, PCP) from Debian trixie with its glibc, cached in
# /var/cache/ddnsd-ci; nftables, miniupnpc and natpmpc from Debian 12
bash "$(dirname "$0")/install-miniupnpd.sh"
# tests/release: qemu-user-static, binutils, Debian's arm64/amd64 glibc and a Docker registry, cached in
# /var/cache/ddnsd-ci
bash "$(dirname "$0")/install-release-deps.sh"
echo "Test dependencies are present."
