#!/usr/bin/env bash
# Starts a lab (kube-apiserver + etcd + Flux CRDs), seeds the fixture fleet,
# runs the simulated Flux controller, then runs the given command with the
# lab's paths in the environment and stops everything by pid afterwards.
#
#   testenv/with-lab.sh [--crds v2.8.0|v2.2.3] [--no-controller] [--fleet] [-- command args...]
#
# LAB_SCALE and LAB_SCALE_EVENTS add generated objects and events to the seed;
# --no-controller leaves the lab quiet (benchmarks measure idle); FLUXLAB
# names the fluxlab binary to use (default: the debug build).
# --fleet starts a second lab beside the first (same CRDs, its own data,
# seed and controller) and joins both admin kubeconfigs into one with the
# contexts `beta` (lab 1) and `production` (lab 2), for the fleet tests.
# Without a command it prints the LAB READY line and runs until interrupted.
# Exported to the command: FLUXDECK_LAB_ADMIN, FLUXDECK_LAB_VIEWER,
# FLUXDECK_LAB_AUDIT, FLUXDECK_LAB_CRDS, FLUXDECK_LAB_DATA, FLUXDECK_LAB_BIN,
# FLUXDECK_LAB_CRD_DIR (tests may start a lab of their own with the last two);
# with --fleet also FLUXDECK_LAB_FLEET (the joined kubeconfig),
# FLUXDECK_LAB_ADMIN_2 and FLUXDECK_LAB_AUDIT_2 (lab 2's).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
crds="${LAB_CRDS:-v2.8.0}"
controller=1 fleet=0
while [ $# -gt 0 ]; do
  case "$1" in
    --crds) crds="$2"; shift 2 ;;
    --no-controller) controller=0; shift ;;
    --fleet) fleet=1; shift ;;
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
pids=()  # every lab and controller started, stopped in reverse order
cleanup() {
  local i
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "${FLUXDECK_KEEP_LAB:-}" ] || rm -rf "$data"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_lab DIR FD: starts a lab on DIR and sets lab_pid. The lab reads its
# stdin until EOF: we hold the write end on fd FD, so the lab also stops if
# this script is killed without running its trap. A lab never inherits the
# other lab's fd, or it would keep that one alive.
start_lab() {
  mkdir -p "$1"
  mkfifo "$1/stdin"
  "$bin" -data-dir "$1/lab" -crds "$crd_dir" <"$1/stdin" >"$1/stdout" 2>"$1/stderr" 3>&- 4>&- &
  lab_pid=$!
  pids+=("$lab_pid")
  eval "exec $2>\"\$1/stdin\""
}

# wait_ready DIR PID: waits for the lab's LAB READY line and prints it.
wait_ready() {
  local deadline=$((SECONDS + 180))
  until grep -q '^LAB READY' "$1/stdout" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ] || ! kill -0 "$2" 2>/dev/null; then
      echo "with-lab.sh: the lab in $1 did not start; last lines of its log:" >&2
      tail -n 30 "$1/stderr" >&2
      exit 1
    fi
    sleep 0.2
  done
  grep '^LAB READY' "$1/stdout"
}
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

# seed_and_run ADMIN LOG: seeds a lab, then starts its simulated controller.
seed_and_run() {
  "$fluxlab" --kubeconfig "$1" seed
  if [ "$controller" = 1 ]; then
    "$fluxlab" --kubeconfig "$1" controller 2>"$2" &
    pids+=($!)
  fi
}

# Both labs boot at once: the second one costs its seed, not another boot.
start_lab "$data" 3
first_pid=$lab_pid
if [ "$fleet" = 1 ]; then start_lab "$data/second" 4; fi
second_pid=$lab_pid
ready=$(wait_ready "$data" "$first_pid")
export FLUXDECK_LAB_ADMIN=$(field "$ready" admin) FLUXDECK_LAB_VIEWER=$(field "$ready" viewer) \
  FLUXDECK_LAB_AUDIT=$(field "$ready" audit) FLUXDECK_LAB_CRDS="$crds" FLUXDECK_LAB_DATA="$data" \
  FLUXDECK_LAB_BIN="$bin" FLUXDECK_LAB_CRD_DIR="$crd_dir"
seed_and_run "$FLUXDECK_LAB_ADMIN" "$data/controller.log"
echo "$ready (Flux CRDs $crds)"

if [ "$fleet" = 1 ]; then
  second=$(wait_ready "$data/second" "$second_pid")
  export FLUXDECK_LAB_ADMIN_2=$(field "$second" admin) FLUXDECK_LAB_AUDIT_2=$(field "$second" audit) \
    FLUXDECK_LAB_FLEET="$data/kubeconfig-fleet"
  seed_and_run "$FLUXDECK_LAB_ADMIN_2" "$data/second/controller.log"
  "$fluxlab" join --out "$FLUXDECK_LAB_FLEET" beta="$FLUXDECK_LAB_ADMIN" production="$FLUXDECK_LAB_ADMIN_2"
  echo "second lab: $second; both as contexts beta and production in $FLUXDECK_LAB_FLEET"
fi

if [ $# -eq 0 ]; then
  echo "lab running; try: kubectl --kubeconfig $FLUXDECK_LAB_ADMIN get kustomizations -A   (Ctrl-C stops it)"
  wait "${pids[0]}"
else
  "$@"
fi
