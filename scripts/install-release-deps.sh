#!/usr/bin/env bash
# What tests/release/ needs beyond Bun, npm and podman. Idempotent: only what is missing is installed or fetched.
#  1. Debian packages: qemu-user-static (qemu-aarch64-static and qemu-x86_64-static run the release executables on
#     an emulated Cortex-A53 or Nehalem; no binfmt_misc registration is needed, the tests call them directly) and
#     binutils (readelf, for container-rootfs.sh with a sysroot).
#  2. Debian's glibc for arm64 and amd64, unpacked into private directories by scripts/fetch-sysroot.sh (the arm64
#     runs' root, the images' libraries).
#  3. A Docker registry for the push test (distribution 2.8, Debian's docker-registry package): downloaded with apt
#     and unpacked, never installed (so no service is started), into $DDNSD_CI_CACHE/registry; the test runs its
#     own instance on a free loopback port.
# Everything downloaded is cached in $DDNSD_CI_CACHE (default /var/cache/ddnsd-ci, else .tmp/ddnsd-ci).
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# ---- 1. Debian packages (binary → package) ----
declare -A NEED=(
  [qemu-aarch64-static]=qemu-user-static
  [qemu-x86_64-static]=qemu-user-static
  [readelf]=binutils
)
missing=()
for bin in "${!NEED[@]}"; do
  if ! command -v "$bin" >/dev/null 2>&1; then missing+=("${NEED[$bin]}"); fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q >/dev/null
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

# ---- 2. The sysroots ----
bash scripts/fetch-sysroot.sh arm64 >/dev/null
bash scripts/fetch-sysroot.sh amd64 >/dev/null

# ---- 3. The registry ----
cache=${DDNSD_CI_CACHE:-/var/cache/ddnsd-ci}
if ! mkdir -p "$cache" 2>/dev/null || [ ! -w "$cache" ]; then cache="$PWD/.tmp/ddnsd-ci"; mkdir -p "$cache"; fi
registry="$cache/registry/docker-registry"
if [ -x "$registry" ] && "$registry" --version >/dev/null 2>&1; then
  echo "docker-registry $("$registry" --version | awk '{print $3}') is cached at $registry"
else
  work="$cache/registry.partial"
  rm -rf "$work" "$cache/registry"
  mkdir -p "$work" "$cache/registry"
  # The system's package lists say where the package is; refreshed once if they do not know it yet.
  (cd "$work" && { apt-get download docker-registry >/dev/null 2>&1 || { $SUDO apt-get update -q >/dev/null && apt-get download docker-registry >/dev/null; }; })
  deb=$(ls "$work"/docker-registry_*.deb)
  dpkg-deb -x "$deb" "$work/root"
  install -m 0755 "$work/root/usr/bin/docker-registry" "$registry"
  dpkg-deb -f "$deb" Version >"$cache/registry/version"
  rm -rf "$work"
  echo "docker-registry $(cat "$cache/registry/version") cached at $registry"
fi
echo "Release test dependencies are present."
