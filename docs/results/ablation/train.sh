#!/usr/bin/env bash
# Trains one ablation configuration with one training seed (learner and environment seeds):
#   docs/results/ablation/train.sh CONFIG SEED RUN_DIR [alrs command...]
# CONFIG is a name in this folder (fixes-wide) or a path to a .hocon file.
# The configuration file plus the seed lines are written beside the run directory, so
# `alrs train --resume RUN_DIR` continues the same run.
set -euo pipefail
config=$1 seed=$2 out=$3; shift 3
alrs=("$@"); [ ${#alrs[@]} -gt 0 ] || alrs=(dotnet run -c Release --project src/Nodes --)
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$(dirname "$out")"
file=$here/$config.hocon; [ -f "$config" ] && file=$config
{ cat "$file"; echo "alrs.actors { learner.seed = $seed, environments.seed = $seed }"; } > "$out.hocon"
exec "${alrs[@]}" train --config "$out.hocon" --out "$out"
