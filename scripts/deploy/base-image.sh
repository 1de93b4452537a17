#!/usr/bin/env bash
# A local Debian bookworm base image with Python 3.11, made with debootstrap and imported into
# Podman, for machines where no registry serves container images. Reused when already imported.
#
#   scripts/deploy/base-image.sh     prints the image name (localhost/kcp-debian-base:bookworm)
#
# The rootfs tarball is cached under $KCP_IMAGE_CACHE (default ${KCP_SERVICES_DIR:-/tmp/kcp-services}/images).
set -euo pipefail

IMAGE="${KCP_BASE_IMAGE_NAME:-localhost/kcp-debian-base:bookworm}"
cache="${KCP_IMAGE_CACHE:-${KCP_SERVICES_DIR:-/tmp/kcp-services}/images}"
tarball="$cache/debian-bookworm-python3.tar"

if podman image exists "$IMAGE" 2>/dev/null; then
    echo "$IMAGE"
    exit 0
fi
mkdir -p "$cache"
if [[ ! -s "$tarball" ]]; then
    command -v debootstrap >/dev/null || { echo "base-image: debootstrap not found: apt-get install -y debootstrap" >&2; exit 1; }
    # The mirror apt already uses on this machine (deb822 or one-line sources).
    mirror="$(grep -hoE '^(URIs:|deb) +https?://[^ ]+' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null \
        | grep -v -e security -e nodesource -e google | head -1 | awk '{print $2}' || true)"
    mirror="${mirror:-http://deb.debian.org/debian}"
    rootfs="$cache/rootfs.tmp"
    rm -rf "$rootfs"
    echo "base-image: debootstrap bookworm from $mirror (about 2 minutes) ..." >&2
    debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates bookworm "$rootfs" "$mirror" >&2 \
        || { echo "base-image: debootstrap failed (see above; is $mirror reachable?)" >&2; exit 1; }
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
    rm -rf "$rootfs"
fi
podman import "$tarball" "$IMAGE" >&2 || { echo "base-image: podman import of $tarball failed; delete it and retry" >&2; exit 1; }
echo "$IMAGE"
