#!/usr/bin/env bash
# Provides the Kubernetes control plane that packages/cluster-testing starts
# for tests: kube-apiserver and kubectl built from the Go module
# k8s.io/kubernetes, and an etcd that this kube-apiserver accepts.
#
# Everything lands in ${WGS_CACHE_DIR:-~/.cache/wgs}/bin, once per machine:
#   kube-apiserver-<KUBE_VERSION>, kubectl-<KUBE_VERSION>   built here
#   etcd-<ETCD_VERSION>                                     built here only if
#                                 Debian's etcd-server is refused (see below)
# and the stable names kube-apiserver, kubectl and etcd point at them, which is
# what the test helper runs. Re-running returns at once when all are there.
#
# Environment: WGS_CACHE_DIR (cache root), WGS_ETCD_BUILD=1 (build etcd from
# the Go module proxy even if Debian's etcd is accepted).
set -euo pipefail

KUBE_VERSION=v1.36.3
# The etcd release that k8s.io/kubernetes@$KUBE_VERSION's go.mod uses for its
# etcd client; only built when Debian's etcd-server is not good enough.
ETCD_VERSION=v3.6.8

BIN_DIR="${WGS_CACHE_DIR:-$HOME/.cache/wgs}/bin"
APISERVER="$BIN_DIR/kube-apiserver-$KUBE_VERSION"
KUBECTL="$BIN_DIR/kubectl-$KUBE_VERSION"
# Written once Debian's etcd (or a built one) has been checked against this
# kube-apiserver; holds the path of the etcd that passed.
ETCD_CHECKED="$BIN_DIR/etcd-checked-$KUBE_VERSION"

log() { echo "kube: $*"; }

link_all() {
  ln -sfn "$(basename "$APISERVER")" "$BIN_DIR/kube-apiserver"
  ln -sfn "$(basename "$KUBECTL")" "$BIN_DIR/kubectl"
  ln -sfn "$(cat "$ETCD_CHECKED")" "$BIN_DIR/etcd"
}

# Fast path: everything built and checked before on this machine.
if [ -x "$APISERVER" ] && [ -x "$KUBECTL" ] && [ -f "$ETCD_CHECKED" ] && [ -x "$(cat "$ETCD_CHECKED")" ] \
  && { [ "${WGS_ETCD_BUILD:-}" != 1 ] || [ "$(cat "$ETCD_CHECKED")" = "$BIN_DIR/etcd-$ETCD_VERSION" ]; }; then
  link_all
  log "cached: kube-apiserver and kubectl $KUBE_VERSION, etcd $(cat "$ETCD_CHECKED")"
  exit 0
fi

mkdir -p "$BIN_DIR"
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  export PATH="$PATH:/usr/local/go/bin"
fi
command -v go >/dev/null 2>&1 || { echo "kube: Go is needed to build kube-apiserver" >&2; exit 1; }
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"

WORK="$(mktemp -d -t wgs-kube-build.XXXXXX)"
PROBE_PIDS=()
# Stops the probe's processes. SIGKILL: a kube-apiserver told to stop after
# its etcd is gone waits for etcd for minutes, and nothing of them is kept.
stop_probe() {
  local pid
  for pid in "${PROBE_PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  for pid in "${PROBE_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PROBE_PIDS=()
}
cleanup() {
  stop_probe
  rm -rf "$WORK"
}
trap cleanup EXIT

# go_module_field MODULE@VERSION FIELD: downloads a module and prints one
# field (Dir, GoMod, ...) of `go mod download -json`.
go_module_field() {
  (cd "$WORK" && go mod download -json "$1") | sed -n "s/^[[:space:]]*\"$2\": \"\\(.*\\)\",\$/\\1/p"
}

build_kube() {
  local start mod minor staging_version m
  start=$(date +%s)
  log "building kube-apiserver and kubectl $KUBE_VERSION from the Go module k8s.io/kubernetes (several minutes)"
  mkdir -p "$WORK/kube"
  mod="$(go_module_field "k8s.io/kubernetes@$KUBE_VERSION" GoMod)"
  [ -f "$mod" ] || { echo "kube: could not download k8s.io/kubernetes@$KUBE_VERSION" >&2; exit 1; }
  # k8s.io/kubernetes points its staging modules (k8s.io/api, apimachinery,
  # apiserver, client-go, ...) at ./staging, which a module dependency cannot
  # use; each one is published separately as v0.<minor>.<patch>.
  staging_version="v0.${KUBE_VERSION#v1.}"
  minor="${KUBE_VERSION#v1.}"; minor="${minor%%.*}"
  {
    echo "module wgs.local/kube-build"
    echo
    echo "go $(sed -n 's/^go //p' "$mod")"
    echo
    echo "replace ("
    sed -n '/^replace (/,/^)/p' "$mod" | awk '$2 == "=>" && $3 ~ /^\.\/staging\// { print $1 }' | while read -r m; do
      # A few staging modules (samples) are not on the proxy; nothing built here needs them.
      if (cd "$WORK" && go list -m "$m@$staging_version" >/dev/null 2>&1 </dev/null); then
        printf '\t%s => %s %s\n' "$m" "$m" "$staging_version"
      else
        log "skipping $m@$staging_version (not published)" >&2
      fi
    done
    echo ")"
  } > "$WORK/go.mod.new"
  mv "$WORK/go.mod.new" "$WORK/kube/go.mod"
  (cd "$WORK/kube" && go get "k8s.io/kubernetes/cmd/kube-apiserver@$KUBE_VERSION" "k8s.io/kubernetes/cmd/kubectl@$KUBE_VERSION") \
    >"$WORK/go-get.log" 2>&1 || { cat "$WORK/go-get.log" >&2; exit 1; }
  # The version stamps that Kubernetes' own build (hack/lib/version.sh) sets.
  local ldflags="-s -w" kv
  for kv in "gitVersion=$KUBE_VERSION" gitMajor=1 "gitMinor=$minor" gitTreeState=clean buildDate=1970-01-01T00:00:00Z; do
    ldflags="$ldflags -X k8s.io/component-base/version.$kv -X k8s.io/client-go/pkg/version.$kv"
  done
  mkdir -p "$WORK/out"
  (cd "$WORK/kube" && CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$WORK/out/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl)
  mv -f "$WORK/out/kube-apiserver" "$APISERVER"
  mv -f "$WORK/out/kubectl" "$KUBECTL"
  log "built $(basename "$APISERVER") ($(du -m "$APISERVER" | cut -f1) MiB) and $(basename "$KUBECTL") ($(du -m "$KUBECTL" | cut -f1) MiB) in $(( $(date +%s) - start )) s"
}

build_etcd() {
  local start
  start=$(date +%s)
  log "building etcd $ETCD_VERSION from the Go module go.etcd.io/etcd/server/v3"
  mkdir -p "$WORK/etcd" "$WORK/out"
  printf 'module wgs.local/etcd-build\n\ngo 1.24\n' > "$WORK/etcd/go.mod"
  (cd "$WORK/etcd" && go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION") \
    >"$WORK/go-get.log" 2>&1 || { cat "$WORK/go-get.log" >&2; exit 1; }
  (cd "$WORK/etcd" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$WORK/out/etcd" go.etcd.io/etcd/server/v3)
  mv -f "$WORK/out/etcd" "$BIN_DIR/etcd-$ETCD_VERSION"
  log "built etcd-$ETCD_VERSION ($(du -m "$BIN_DIR/etcd-$ETCD_VERSION" | cut -f1) MiB) in $(( $(date +%s) - start )) s"
}

install_debian_etcd() {
  if ! dpkg-query -W -f='${Status}' etcd-server 2>/dev/null | grep -q "install ok installed"; then
    log "installing Debian's etcd-server"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq etcd-server >/dev/null
  fi
  # Tests start their own etcd on free ports: the packaged service must not
  # hold 2379/2380 or run at boot.
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    $SUDO systemctl disable --now etcd >/dev/null 2>&1 || true
  fi
}

free_port() {
  node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# probe_etcd ETCD: starts ETCD and the kube-apiserver on loopback ports and
# reports whether the apiserver becomes ready (/readyz) on it.
probe_etcd() {
  local etcd="$1" dir="$WORK/probe" client peer secure code
  rm -rf "$dir"; mkdir -p "$dir"
  client=$(free_port); peer=$(free_port); secure=$(free_port)
  openssl genrsa -out "$dir/sa.key" 2048 2>/dev/null
  openssl rsa -in "$dir/sa.key" -pubout -out "$dir/sa.pub" 2>/dev/null
  echo 'probe-token,probe,probe,"system:masters"' > "$dir/tokens.csv"
  "$etcd" --name probe --data-dir "$dir/etcd" \
    --listen-client-urls "http://127.0.0.1:$client" --advertise-client-urls "http://127.0.0.1:$client" \
    --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
    --initial-cluster "probe=http://127.0.0.1:$peer" >"$dir/etcd.log" 2>&1 &
  PROBE_PIDS+=($!)
  "$APISERVER" --etcd-servers="http://127.0.0.1:$client" --bind-address=127.0.0.1 --advertise-address=127.0.0.1 \
    --secure-port="$secure" --cert-dir="$dir/certs" --token-auth-file="$dir/tokens.csv" --authorization-mode=RBAC \
    --service-account-issuer=https://kubernetes.default.svc --service-account-key-file="$dir/sa.pub" \
    --service-account-signing-key-file="$dir/sa.key" --service-cluster-ip-range=10.0.0.0/24 \
    --endpoint-reconciler-type=none >"$dir/apiserver.log" 2>&1 &
  PROBE_PIDS+=($!)
  code=000
  for _ in $(seq 1 120); do
    code=$(curl -sk -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer probe-token' "https://127.0.0.1:$secure/readyz" || true)
    [ "$code" = 200 ] && break
    sleep 0.5
  done
  stop_probe
  if [ "$code" = 200 ]; then return 0; fi
  log "kube-apiserver $KUBE_VERSION did not become ready on $etcd ($("$etcd" --version | head -1)); its log ends:"
  tail -n 15 "$dir/apiserver.log" >&2
  return 1
}

if [ ! -x "$APISERVER" ] || [ ! -x "$KUBECTL" ]; then
  build_kube
fi

rm -f "$ETCD_CHECKED"
etcd=""
if [ "${WGS_ETCD_BUILD:-}" != 1 ]; then
  # A failed install falls through to building etcd.
  if install_debian_etcd && [ -x /usr/bin/etcd ] && probe_etcd /usr/bin/etcd; then
    etcd=/usr/bin/etcd
  fi
fi
if [ -z "$etcd" ]; then
  [ -x "$BIN_DIR/etcd-$ETCD_VERSION" ] || build_etcd
  probe_etcd "$BIN_DIR/etcd-$ETCD_VERSION" || { echo "kube: no etcd that kube-apiserver $KUBE_VERSION accepts" >&2; exit 1; }
  etcd="$BIN_DIR/etcd-$ETCD_VERSION"
fi
echo "$etcd" > "$ETCD_CHECKED"
link_all
log "ready: $BIN_DIR/{kube-apiserver,kubectl,etcd} -> $(basename "$APISERVER"), $(basename "$KUBECTL"), $etcd ($("$etcd" --version | head -1))"
