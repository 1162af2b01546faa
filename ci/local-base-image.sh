#!/usr/bin/env bash
# Builds the local JRE base image the Docker test builds the agent image on, for machines that reach no
# container registry (only Debian's mirror): a debootstrap'd Debian bookworm (minbase) with Debian's
# openjdk-17-jre-headless, imported into the local Docker engine as meshproof/debian-jre:bookworm.
# Idempotent: does nothing if the image exists. Needs root, debootstrap and a running Docker engine.
# Users never need this: their agent images use a normal JRE image from a registry (eclipse-temurin:17-jre).
set -euo pipefail
image="${MESHPROOF_BASE_IMAGE:-meshproof/debian-jre:bookworm}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# Built outside the repository so nothing of it can end up in git.
work="${MESHPROOF_BASE_WORKDIR:-/var/tmp/meshproof-base-image}"

if docker image inspect "$image" >/dev/null 2>&1; then
  echo "== base image $image exists; nothing to do"
  exit 0
fi
command -v debootstrap >/dev/null || { echo "error: debootstrap is not installed (apt-get install debootstrap)" >&2; exit 3; }

rootfs="$work/rootfs"
rm -rf "$rootfs"
mkdir -p "$rootfs"
echo "== debootstrap bookworm (minbase + openjdk-17-jre-headless) into $rootfs"
debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { echo "error: debootstrap failed; see $work/debootstrap.log" >&2; tail -20 "$work/debootstrap.log" >&2; exit 3; }
# Smaller image: package caches and docs are not needed at run time.
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/*

echo "== importing into Docker as $image"
tar -C "$rootfs" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  - "$image" >/dev/null
rm -rf "$rootfs"
docker run --rm "$image" java -version 2>&1 | sed -n 1p
echo "== base image $image ready"
