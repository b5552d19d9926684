#!/usr/bin/env bash
# Builds the lab binary once per source version and prints its path. The cache
# key is the hash of go.mod, go.sum and our Go files, so a second `make test`
# reuses the binary and any change rebuilds it.
set -euo pipefail
cd "$(dirname "$0")"
k8s_version=$(awk '$1 == "k8s.io/kubernetes" {print $2}' go.mod)
key=$(cat go.mod go.sum ./*.go | sha256sum | cut -c1-16)
cache="${FLUXDECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fluxdeck}"
bin="$cache/testenv-$key"
if [ ! -x "$bin" ]; then
  command -v go >/dev/null || { echo "testenv: Go is needed to build the lab (see README)" >&2; exit 1; }
  mkdir -p "$cache"
  echo "testenv: building kube-apiserver $k8s_version with embedded etcd (cold: 10-20 min)..." >&2
  minor=$(echo "$k8s_version" | cut -d. -f2)
  GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-mod=readonly -buildvcs=false" \
    go build -p "$(nproc)" -trimpath -o "$bin.tmp" -ldflags "-s -w \
      -X k8s.io/component-base/version.gitVersion=$k8s_version \
      -X k8s.io/component-base/version.gitMajor=1 \
      -X k8s.io/component-base/version.gitMinor=$minor" .
  mv "$bin.tmp" "$bin"
fi
echo "$bin"
