#!/usr/bin/env bash
# Evaluates a trained ablation run on seeds 0-4 from each initial rate of training, paired with
# the shortlisted baselines of the same protocol:
#   docs/results/ablation/evaluate.sh RUN_DIR BASELINES_DIR OUT_DIR [alrs command...]
# RUN_DIR.hocon (written by train.sh) gives the protocol; the policy is the run's latest version.
set -euo pipefail
run=$1 baselines=$2 out=$3; shift 3
alrs=("$@"); [ ${#alrs[@]} -gt 0 ] || alrs=(dotnet run -c Release --project src/Nodes --)
for lr in 0.01 0.001 0.0001; do
  "${alrs[@]}" evaluate --policy "$run" --config "$run.hocon" --initial-lr "$lr" --seed 0 --seeds 5 \
    --baselines "$baselines" --out "$out/from-$lr"
done
