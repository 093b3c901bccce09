#!/usr/bin/env bash
# What `pnpm start` needs on a fresh Debian 12 machine, and nothing for tests
# only (.ci/setup adds those): Rust to build the sample operators for wasm32,
# the Mosquitto broker (and its clients, for trying things by hand), pnpm, the
# JS dependencies, and the build (operators into the embedded registry, the
# designer into apps/web/dist). Idempotent: a re-run installs nothing and
# rebuilds only what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

# Rust 1.96 (rustc-web) with its std sources and the wasm linker (the Dockerfile's
# build stage installs the same), and the broker `pnpm start` runs for itself.
APT_PACKAGES=(rustc-web cargo-web rust-web-src lld-19 mosquitto mosquitto-clients)
bash scripts/apt-install.sh "${APT_PACKAGES[@]}"
# The packaged broker must not hold port 1883 as a system service: the server starts its own there.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet mosquitto 2>/dev/null; then
  systemctl stop mosquitto || true
fi

PNPM_VERSION=10.34.8
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version)" != "$PNPM_VERSION" ]; then
  echo "setup: installing pnpm $PNPM_VERSION"
  npm install -g "pnpm@$PNPM_VERSION" >/dev/null
fi

pnpm install --frozen-lockfile
pnpm build
