#!/usr/bin/env bash
# pgo.sh - regenerate cmd/migsim/default.pgo, the CPU profile the Go
# toolchain uses for profile-guided optimisation of migsim.
#
# Usage:
#   scripts/pgo.sh            (about a minute on the machine of docs/performance.md)
#
# `go build`, `go run` and `go install` of ./cmd/migsim read
# cmd/migsim/default.pgo by themselves (-pgo=auto, the default since Go
# 1.21) and inline and lay out the engine's hot calls by it. The profile
# changes how fast the code runs, never what it computes: outputs are
# byte-identical with and without it (docs/performance.md, tenth round).
#
# It builds migsim without PGO (so the profile does not depend on the one
# it replaces), profiles the two workloads of `migsim bench`,
#   migsim bench --which corridor --workers 1     (americas 2021-2025, 1:1)
#   migsim bench --which synthetic --workers 2    (10 million agents, 365 days)
# (this pair measured faster than profiles of either alone, or of five
# workloads with the thinned corridor and 2 workers: docs/performance.md),
# merges the profiles (go tool pprof -proto) and renames the result over
# cmd/migsim/default.pgo, so an interrupted run leaves the old one. A stale
# profile is harmless: the compiler uses what still matches the code. Run it
# again after a change that moves where the time goes.
set -euo pipefail
cd "$(dirname "$0")/.."

tmp=$(mktemp -d)
new=
trap 'rm -rf "$tmp"; [ -z "$new" ] || rm -f "$new"' EXIT
go build -pgo=off -o "$tmp/migsim" ./cmd/migsim

profile() {
  local name=$1
  shift
  echo "pgo: migsim bench $*" >&2
  "$tmp/migsim" bench "$@" --cpuprofile "$tmp/$name.prof" > /dev/null
}
profile corridor --which corridor --workers 1
profile synthetic --which synthetic --workers 2

out=cmd/migsim/default.pgo
new=$(mktemp "$out.XXXXXX")
go tool pprof -proto "$tmp"/*.prof > "$new" 2> /dev/null || { rm -f "$new"; exit 1; }
chmod 644 "$new"
mv "$new" "$out"
echo "pgo: wrote $out" >&2
