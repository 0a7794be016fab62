#!/usr/bin/env bash
# Runs every benchmark with the settings docs/benchmarks.md reports, one after the other
# (they must not overlap: each wants both cores). Logs go to $1 (default /tmp/alrs-bench-logs).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-${TMPDIR:-/tmp}/alrs-bench-logs}
mkdir -p "$out"
dotnet build bench/Alrs.Bench.csproj -c Release -v quiet
run() {
  local name=$1; shift
  uptime | tee "$out/$name.txt"
  dotnet run -c Release --no-build --project bench -- "$name" "$@" | tee -a "$out/$name.txt"
}
run learner --envs 1,2,4 --repeats 7
run overhead --envs 2 --pairs 16 --warmup 10 --decisions 25
run scaling --envs 1,2,4 --repeats 5 --warmup 10 --decisions 20
run capacity
echo "logs in $out"
