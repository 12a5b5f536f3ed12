#!/usr/bin/env bash
# Builds the multi-arch image (linux/amd64 + linux/arm64) from the release executables, with no image pulls and no
# emulation: the Containerfile's runtime stage is only COPY instructions, so each architecture's image is its root
# filesystem plus the image settings, whatever machine builds it.
#
#   bun run release && scripts/release-image.sh [IMAGE]      (default IMAGE: localhost/ddnsd:<version>)
#
# Makes IMAGE-amd64 and IMAGE-arm64 (one image per architecture) and the manifest list IMAGE naming both; an image
# or list already called IMAGE is replaced. Push them all to a registry with
#   podman manifest push --all --format v2s2 IMAGE docker://REGISTRY/ddnsd:<version>
# (v2s2, Docker's format, keeps HEALTHCHECK: the OCI format has no field for it). Every step, in order:
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(node -p 'require("./package.json").version' 2>/dev/null || bun -p 'require("./package.json").version')
image=${1:-localhost/ddnsd:$version}
# Every timestamp in the images (created, file times) is the last commit's, or $SOURCE_DATE_EPOCH: the same
# executables give a layer with the same digest (registries store it once). The image configs still differ between
# builds (podman records its build container's id and hostname in the Docker format).
epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
work=.tmp/release-image
# ociArch:releaseArch, as scripts/release/targets.ts names them.
targets=("amd64:x64" "arm64:arm64")

# 1. The executables `bun run release` made, and their checksums.
for t in "${targets[@]}"; do
  if [ ! -x "dist/release/ddnsd-linux-${t#*:}" ]; then
    echo "release-image: dist/release/ddnsd-linux-${t#*:} is missing; run \"bun run release\" first" >&2
    exit 1
  fi
done
(cd dist/release && sha256sum --quiet -c SHA256SUMS)

podman manifest rm "$image" >/dev/null 2>&1 || podman rmi -f "$image" >/dev/null 2>&1 || true
podman manifest create "$image" >/dev/null
for t in "${targets[@]}"; do
  arch=${t%%:*}
  binary="dist/release/ddnsd-linux-${t#*:}"
  # 2. That architecture's glibc: Debian's libc6:ARCH, fetched with apt into a private directory (cached).
  sysroot=$(bash scripts/fetch-sysroot.sh "$arch" | tail -n 1)
  # 3. The root filesystem: the executable, the loader and libraries it links (resolved from its ELF headers inside
  #    the sysroot), passwd/group/nsswitch, /tmp, /run and the state directory. Checked by running --version in it
  #    (natively, or under qemu-user when installed).
  sh scripts/container-rootfs.sh "$binary" "$work/$arch/rootfs" "$sysroot"
  # 4. The image: the Containerfile's runtime stage (user 65532, read-only friendly, HEALTHCHECK in Docker format,
  #    labels), with the root filesystem as the named build context `rootfs` (its builder stage is skipped).
  podman build --quiet --pull=never --format docker --layers=false --platform "linux/$arch" --timestamp "$epoch" \
    --build-context "rootfs=$work/$arch/rootfs" --build-arg "VERSION=$version" \
    -f Containerfile -t "$image-$arch" . >/dev/null
  # 5. Into the manifest list, under its platform.
  podman manifest add "$image" "containers-storage:$image-$arch" >/dev/null
  size=$(podman image inspect "$image-$arch" --format '{{.Size}}')
  echo "release-image: $image-$arch ($(podman image inspect "$image-$arch" --format '{{.Os}}/{{.Architecture}}')): $((size / 1024 / 1024)) MiB ($size bytes) uncompressed"
done
# 6. What the list holds: one manifest per platform.
podman manifest inspect "$image" | bun -e '
  const list = JSON.parse(await Bun.stdin.text());
  for (const m of list.manifests) console.log(`release-image: ${process.argv[1]} → ${m.platform.os}/${m.platform.architecture}${m.platform.variant ? "/" + m.platform.variant : ""} ${m.digest}`);
' "$image"
