#!/usr/bin/env bash
# What tests/deploy/ needs beyond Bun and the npm packages. Idempotent: only what is missing is installed or fetched.
#  1. Debian packages: podman (+ runc, slirp4netns, netavark, aardvark-dns, iptables: --no-install-recommends leaves
#     them out, and the container tests use runc and slirp4netns), podman-compose, systemd (systemd-analyze).
#  2. The quadlet generator, which Debian 12's podman 4.3 lacks: downloaded once from Debian 13 (trixie)'s podman
#     package with apt, using a private sources list and package lists (the system's apt setup is not touched),
#     and cached in $DDNSD_CI_CACHE (default /var/cache/ddnsd-ci, else .tmp/ddnsd-ci when that is not writable).
#     The tests find it at $DDNSD_CI_CACHE/quadlet/quadlet (or $DDNSD_QUADLET).
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# ---- 1. Debian packages (binary → package) ----
declare -A NEED=(
  [podman]=podman
  [podman-compose]=podman-compose
  [runc]=runc
  [slirp4netns]=slirp4netns
  [netavark]=netavark
  [aardvark-dns]=aardvark-dns
  [iptables]=iptables
  [systemd-analyze]=systemd
)
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/usr/lib/podman/$1" ] || [ -x "/usr/libexec/podman/$1" ]; }
missing=()
for bin in "${!NEED[@]}"; do
  if ! have "$bin"; then missing+=("${NEED[$bin]}"); fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q >/dev/null
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

# ---- 2. The quadlet generator from trixie's podman package ----
cache=${DDNSD_CI_CACHE:-/var/cache/ddnsd-ci}
if ! mkdir -p "$cache" 2>/dev/null || [ ! -w "$cache" ]; then cache="$PWD/.tmp/ddnsd-ci"; mkdir -p "$cache"; fi
quadlet="$cache/quadlet/quadlet"
if [ -x "$quadlet" ] && "$quadlet" -version >/dev/null 2>&1; then
  echo "quadlet $("$quadlet" -version) is cached at $quadlet"
  exit 0
fi

work="$cache/trixie-apt"
rm -rf "$work" "$cache/quadlet"
mkdir -p "$work/lists/partial" "$work/archives/partial" "$work/deb" "$cache/quadlet"
# The same Debian mirror the system's apt uses, with the trixie suite.
mirror=$(grep -hoE '^URIs: *[^ ]+/debian$' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1 | sed 's/^URIs: *//')
[ -n "$mirror" ] || mirror=$(grep -hoE '^deb +[^ ]+/debian ' /etc/apt/sources.list 2>/dev/null | head -n 1 | awk '{print $2}')
[ -n "$mirror" ] || { echo "no Debian mirror found in the apt sources" >&2; exit 1; }
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main" >"$work/sources.list"
apt_opts=(
  -o "Dir::Etc::SourceList=$work/sources.list"
  -o "Dir::Etc::SourceParts=/nonexistent"
  -o "Dir::State::Lists=$work/lists"
  -o "Dir::Cache=$work"
  -o "Dir::Cache::archives=$work/archives"
  -o "Acquire::Languages=none"
  -o "APT::Sandbox::User=root"
)
echo "Fetching the quadlet generator from Debian trixie's podman package…"
apt-get "${apt_opts[@]}" update -q >/dev/null
(cd "$work/deb" && apt-get "${apt_opts[@]}" download podman >/dev/null)
deb=$(ls "$work"/deb/podman_*.deb)
dpkg-deb -x "$deb" "$work/root"
install -m 0755 "$work/root/usr/libexec/podman/quadlet" "$quadlet"
dpkg-deb -f "$deb" Version >"$cache/quadlet/podman-version"
rm -rf "$work"
echo "quadlet $("$quadlet" -version) cached at $quadlet (from podman $(cat "$cache/quadlet/podman-version"))"
