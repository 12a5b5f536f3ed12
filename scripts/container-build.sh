#!/usr/bin/env bash
# Builds the container image from the already compiled dist/ddnsd, with no image pulls (CI, air-gapped hosts):
# collects the root filesystem with scripts/container-rootfs.sh and hands it to the Containerfile as the named
# build context `rootfs`, so the Containerfile's own runtime stage is what gets built (its builder stage is skipped).
#
#   bun run build && scripts/container-build.sh [IMAGE]        (default IMAGE: localhost/ddnsd:latest)
#
# Prints the image's uncompressed size at the end. Extra `podman build` options can follow IMAGE.
set -euo pipefail
cd "$(dirname "$0")/.."

image=${1:-localhost/ddnsd:latest}
shift || true
if [ ! -x dist/ddnsd ]; then
  echo "container-build: dist/ddnsd is missing; run \"bun run build\" first" >&2
  exit 1
fi
version=$(./dist/ddnsd --version | awk '{ print $2 }')
rootfs=.tmp/container/rootfs

sh scripts/container-rootfs.sh dist/ddnsd "$rootfs"
# --format docker keeps HEALTHCHECK (the OCI format has no field for it); --layers=false: one layer, no cache.
podman build --pull=never --format docker --layers=false \
  --build-context "rootfs=$rootfs" \
  --build-arg "VERSION=$version" \
  -f Containerfile -t "$image" "$@" .
size=$(podman image inspect "$image" --format '{{.Size}}')
echo "container-build: $image (ddnsd $version): $((size / 1024 / 1024)) MiB ($size bytes) uncompressed"
