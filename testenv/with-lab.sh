#!/usr/bin/env bash
# Starts a lab (kube-apiserver + etcd + Flux CRDs), seeds the fixture fleet,
# runs the simulated Flux controller, then runs the given command with the
# lab's paths in the environment and stops everything by pid afterwards.
#
#   testenv/with-lab.sh [--crds v2.8.0|v2.2.3] [--no-controller] [-- command args...]
#
# LAB_SCALE and LAB_SCALE_EVENTS add generated objects and events to the seed;
# --no-controller leaves the lab quiet (benchmarks measure idle); FLUXLAB
# names the fluxlab binary to use (default: the debug build).
# Without a command it prints the LAB READY line and runs until interrupted.
# Exported to the command: FLUXDECK_LAB_ADMIN, FLUXDECK_LAB_VIEWER,
# FLUXDECK_LAB_AUDIT, FLUXDECK_LAB_CRDS, FLUXDECK_LAB_DATA, FLUXDECK_LAB_BIN,
# FLUXDECK_LAB_CRD_DIR (tests may start a lab of their own with the last two).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
crds="${LAB_CRDS:-v2.8.0}"
controller=1
while [ $# -gt 0 ]; do
  case "$1" in
    --crds) crds="$2"; shift 2 ;;
    --no-controller) controller=0; shift ;;
    --) shift; break ;;
    *) echo "with-lab.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
crd_dir="${FLUXDECK_CRDS_ROOT:-$root/../shared/flux-crds}/$crds"
[ -d "$crd_dir" ] || { echo "with-lab.sh: no CRD folder $crd_dir" >&2; exit 2; }
fluxlab="${FLUXLAB:-${CARGO_TARGET_DIR:-$root/target}/debug/fluxlab}"
[ -x "$fluxlab" ] || { echo "with-lab.sh: $fluxlab is missing (cargo build --workspace --bins)" >&2; exit 2; }

bin=$("$here/build.sh")
data=$(mktemp -d "${TMPDIR:-/tmp}/fluxdeck-lab.XXXXXX")
lab_pid="" controller_pid=""
cleanup() {
  [ -n "$controller_pid" ] && kill "$controller_pid" 2>/dev/null || true
  [ -n "$lab_pid" ] && kill "$lab_pid" 2>/dev/null || true
  [ -n "$controller_pid" ] && wait "$controller_pid" 2>/dev/null || true
  [ -n "$lab_pid" ] && wait "$lab_pid" 2>/dev/null || true
  [ -n "${FLUXDECK_KEEP_LAB:-}" ] || rm -rf "$data"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The lab reads its stdin until EOF: we hold the write end on fd 3, so the lab
# also stops if this script is killed without running its trap.
mkfifo "$data/stdin"
"$bin" -data-dir "$data/lab" -crds "$crd_dir" <"$data/stdin" >"$data/stdout" 2>"$data/stderr" &
lab_pid=$!
exec 3>"$data/stdin"

deadline=$((SECONDS + 180))
until grep -q '^LAB READY' "$data/stdout" 2>/dev/null; do
  if ! kill -0 "$lab_pid" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
    echo "with-lab.sh: the lab did not start; last lines of its log:" >&2
    tail -n 30 "$data/stderr" >&2
    exit 1
  fi
  sleep 0.2
done
ready=$(grep '^LAB READY' "$data/stdout")
field() { echo "$ready" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
export FLUXDECK_LAB_ADMIN=$(field admin) FLUXDECK_LAB_VIEWER=$(field viewer) \
  FLUXDECK_LAB_AUDIT=$(field audit) FLUXDECK_LAB_CRDS="$crds" FLUXDECK_LAB_DATA="$data" \
  FLUXDECK_LAB_BIN="$bin" FLUXDECK_LAB_CRD_DIR="$crd_dir"

"$fluxlab" --kubeconfig "$FLUXDECK_LAB_ADMIN" seed
if [ "$controller" = 1 ]; then
  "$fluxlab" --kubeconfig "$FLUXDECK_LAB_ADMIN" controller 2>"$data/controller.log" &
  controller_pid=$!
fi
echo "$ready (Flux CRDs $crds)"

if [ $# -eq 0 ]; then
  echo "lab running; try: kubectl --kubeconfig $FLUXDECK_LAB_ADMIN get kustomizations -A   (Ctrl-C stops it)"
  wait "$lab_pid"
else
  "$@"
fi
