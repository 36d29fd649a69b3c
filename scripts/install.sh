#!/usr/bin/env bash
# Installs everything berth needs on a Debian 12 machine, as root: Debian packages, npm
# dependencies and the build. Idempotent: a second run only rebuilds what changed.
#   scripts/install.sh          what berth needs to run
#   scripts/install.sh --test   plus what the test suite and benchmarks compare against
#   scripts/install.sh --bench  plus Podman, the third engine of the container benchmarks (bench/), and make (bench/detection-overhead)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(runc crun conmon containernetworking-plugins curl busybox-static nftables iptables iproute2 debootstrap
  zstd attr util-linux kmod ca-certificates tini procps gcc libc6-dev etcd-server)
if [ "${1:-}" = "--test" ] || [ "${1:-}" = "--bench" ]; then
  packages+=(docker.io skopeo openssl golang-go docker-registry python3-docker docker-compose prometheus prometheus-alertmanager chromium)
fi
if [ "${1:-}" = "--bench" ]; then
  packages+=(podman make)
fi

if [ "$(id -u)" != 0 ]; then
  echo "install.sh: run as root (berth manages mounts, cgroups and namespaces)" >&2
  exit 1
fi
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' 2>/dev/null; then
  echo "install.sh: berth needs Node.js 20 or newer on PATH" >&2
  exit 1
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> apt-get install ${missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# npm ci only when the lockfile changed since the last install.
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f node_modules/.berth-lock ] || [ "$(cat node_modules/.berth-lock)" != "$lock_sum" ]; then
  echo "==> npm ci"
  # better-sqlite3 builds from source: its prebuilt download cannot be reached offline anyway.
  npm_config_build_from_source=true npm ci --no-audit --no-fund
  echo "$lock_sum" > node_modules/.berth-lock
fi

echo "==> build"
# Also compiles dist/libexec/berth-idmap, berth-peercred, berth-mount and berth-watch (scripts/build-native.sh; gcc + libc6-dev above).
npm run --silent build

# The group whose members may use berthd's socket (berthd --group, as dockerd's docker group).
groupadd -f berth

# Put `berth` and `berthd` on PATH unless something else already owns those names.
for name in berth berthd; do
  link=/usr/local/bin/$name
  if [ ! -e "$link" ] || { [ -L "$link" ] && readlink "$link" | grep -q "bin/$name.js\$"; }; then
    ln -sfn "$PWD/bin/$name.js" "$link"
  fi
done
