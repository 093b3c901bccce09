# syntax=docker/dockerfile:1
#
# The WASM Graph Studio designer backend (apps/server) as a container image;
# the same image runs the data flow engine (apps/engine) with another command.
#
#   docker build -t wgs-designer:0.1.0 .
#   docker run --rm -p 127.0.0.1:8420:8420 -e WGS_TOKEN=... wgs-designer:0.1.0
#   # the engine (deploy/engine, the `engine` profile of docker-compose.yml):
#   docker run --rm -v "$PWD/engine.kubeconfig:/etc/wgs/kubeconfig:ro" wgs-designer:0.1.0 \
#     node apps/cli/bin/wgs.mjs \
#     engine --kubeconfig /etc/wgs/kubeconfig --namespace azure-iot-operations
#   # in a pod: ... engine --kubeconfig in-cluster (namespace from POD_NAMESPACE)
#
# Stages: `build` compiles the sample operators into the embedded registry
# (.wgs/registry) with the same Debian toolchain as scripts/setup.sh; `prod-deps`
# installs the production dependencies of the server and of the CLI (whose
# `engine` command is the engine) only; the final stage is
# Node 20 slim with the sources, those node_modules, the registry and a
# non-root user. The server and the CLI start through their launchers
# (apps/server/bin/server.mjs, apps/cli/bin/wgs.mjs, as `pnpm start` and
# `pnpm wgs`): precompiled JavaScript, bundled while the image is built, so no
# process carries tsx's loader thread (scripts/precompiled-launch.mjs).

# ---------------------------------------------------------------------------
FROM node:20-bookworm AS build

# Rust 1.96 (rustc-web) with its std sources, and the wasm linker: the operators
# are built for wasm32 with std rebuilt from source (packages/operators/src/build.ts).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends rustc-web cargo-web rust-web-src lld-19 \
 && rm -rf /var/lib/apt/lists/*

ARG PNPM_VERSION=10.34.8
RUN npm install -g "pnpm@${PNPM_VERSION}"

WORKDIR /app
# The whole context, so every workspace package is there for the frozen
# install whatever packages are added; the cache mounts keep re-runs fast.
COPY . .
RUN --mount=type=cache,id=wgs-pnpm-store,target=/pnpm/store \
    pnpm install --frozen-lockfile --store-dir=/pnpm/store
# Writes the components and example graphs into /app/.wgs/registry.
RUN --mount=type=cache,id=wgs-cargo-registry,target=/root/.cargo/registry \
    --mount=type=cache,id=wgs-cargo-target,target=/root/.cache/wgs/cargo-target \
    pnpm build

# ---------------------------------------------------------------------------
FROM node:20-bookworm-slim AS prod-deps

ARG PNPM_VERSION=10.34.8
RUN npm install -g "pnpm@${PNPM_VERSION}"

WORKDIR /app
COPY . .
# The CLI (for `wgs engine`: @wgs/engine and @kubernetes/client-node) and the
# server, with the workspace packages they depend on, without dev dependencies.
RUN --mount=type=cache,id=wgs-pnpm-store,target=/pnpm/store \
    pnpm install --frozen-lockfile --store-dir=/pnpm/store --prod --filter "@wgs/cli..." --filter "@wgs/server..."

# ---------------------------------------------------------------------------
FROM node:20-bookworm-slim

# The broker the server starts for itself when WGS_BROKER_URL is not set (the
# same Debian package scripts/setup.sh installs); it listens on 127.0.0.1 only.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends mosquitto \
 && rm -rf /var/lib/apt/lists/*

# A numeric user, so Kubernetes' runAsNonRoot can verify it.
RUN groupadd --system --gid 10001 wgs \
 && useradd --system --uid 10001 --gid wgs --home-dir /home/wgs --create-home --shell /usr/sbin/nologin wgs \
 && mkdir -p /var/lib/wgs/store /var/cache/wgs \
 && chown -R wgs:wgs /var/lib/wgs /var/cache/wgs

WORKDIR /app
# Sources and production node_modules, owned by root: the app cannot change its own code.
COPY --from=prod-deps /app /app
COPY --from=build /app/.wgs/registry /app/.wgs/registry
COPY --from=build /app/apps/web/dist /app/apps/web/dist
# Without WGS_TOKEN the server generates a token into /app/.wgs/token; the link
# sends it to the writable state folder (a volume in docker-compose.yml).
RUN ln -s /var/lib/wgs/token /app/.wgs/token

ENV NODE_ENV=production \
    WGS_HOST=0.0.0.0 \
    WGS_PORT=8420 \
    WGS_STORE_DIR=/var/lib/wgs/store \
    WGS_CACHE_DIR=/var/cache/wgs \
    WGS_BUNDLE_DIR=/app/.wgs/bundles

# The launchers' bundles, built now (esbuild from @wgs/runtime's tsx) and owned
# by root like the sources: every container starts from them, also with a
# read-only root or an empty cache volume. `build` fails the image build
# rather than leaving the launchers to fall back to tsx.
RUN WGS_SERVER_BUNDLE=build node apps/server/bin/server.mjs \
 && WGS_CLI_BUNDLE=build node apps/cli/bin/wgs.mjs

USER 10001:10001
EXPOSE 8420
# One process, no tsx loader: the server's launcher, as `pnpm start`.
CMD ["node", "apps/server/bin/server.mjs"]
