#!/usr/bin/env bash
# Reproduces the experiment of docs/results.md, stage by stage:
#   docs/results/reproduce.sh train      # PPO controller on MNIST-MLP at the reference settings
#   docs/results/reproduce.sh mnist      # baselines (selection, then 5 seeds) and the learned policy on MNIST-MLP
#   docs/results/reproduce.sh transfer   # the same policy, unchanged, on Fashion-MNIST LeNet-5 (batch 128)
#   docs/results/reproduce.sh ablation   # the shortened MNIST-MLP ablation of the controller's design (2026-11-30)
#   docs/results/reproduce.sh comparators  # knee, hypergradient and probe tuner on both problems, same protocol
#   docs/results/reproduce.sh fmnist     # trained on Fashion-MNIST LeNet-5 (shortened protocol), and the ablation's MNIST policy transferred to it (2026-11-30)
#   docs/results/reproduce.sh residual   # the residual controller on the knee schedule, three training seeds, selected on seed 100 (2026-12-03)
#   docs/results/reproduce.sh residual20 # the committed residual policies and every family's winner on report seeds 0-19 (2026-12-03)
#   docs/results/reproduce.sh fmnist10   # the three Fashion-MNIST residual policies, selected on seed 100, on report seeds 0-9 (2026-12-03)
#   docs/results/reproduce.sh population # residual-knee as one population run (3 controllers), selected on seed 100, beside the three separate runs on seeds 0-19 (2026-12-03, session 8)
#   docs/results/reproduce.sh fmnist-relative # Fashion-MNIST residual-knee rewarded relative to the knee on the same child, one population run of 2, on seeds 0-9 (2026-12-03, session 10)
#   docs/results/reproduce.sh fmnist-capped # the same with residual-cap 0.7:1, trained and imposed on the session-10 policies (2026-12-04, session 11)
#   docs/results/reproduce.sh fmnist-mc # relative reward with Monte-Carlo advantages (GAE lambda 1), one controller, on seeds 0-9 (2026-12-04, session 12)
#   docs/results/reproduce.sh full-length # MNIST-MLP at the reference's 1000 steps: selection, population of 3, the shortened policies unchanged, seeds 0-19 (2026-12-04, session 12)
#   docs/results/reproduce.sh all
# Run from the repository root after `dotnet build -c Release` and `alrs data fetch mnist` /
# `alrs data fetch fashion-mnist`. ALRS overrides the alrs command, RUNS the output folder.
set -euo pipefail
ALRS=${ALRS:-"dotnet src/Nodes/bin/Release/net10.0/alrs.dll"}
RUNS=${RUNS:-runs/results}
POLICY=$RUNS/mnist-mlp
# Each family's winner is chosen on seed 100 and reported on seeds 0-4, the seeds of the
# learned policy's evaluation episodes (same child initialisation and data order).
SELECTION_SEED=100
INITIAL_RATES=(0.01 0.001 0.0001)

train() {
  # 4 environment actors, a PPO update every 400 decisions (4 episodes), 400 episodes.
  $ALRS train --preset mnist-mlp --episodes 400 --evaluate none --out "$POLICY"
  $ALRS report "$POLICY"
}

# compare PROBLEM VALIDATION [extra flags...]: baselines on the problem, then the policy from
# each initial rate beside the constant at that rate on the same seeds.
compare() {
  local problem=$1 validation=$2; shift 2
  $ALRS baselines --preset "$problem" "$@" --seeds 1 --seed $SELECTION_SEED --out "$RUNS/select-$problem"
  # The same validation images per decision as the policy's episodes, so the plotted curves compare.
  $ALRS baselines --preset "$problem" "$@" --seeds 5 --validation-samples "$validation" --shortlist "$RUNS/select-$problem" --out "$RUNS/baselines-$problem"
  for rate in "${INITIAL_RATES[@]}"; do
    $ALRS evaluate --preset "$problem" "$@" --policy "$POLICY" --seeds 5 --initial-lr "$rate" --validation-samples "$validation" \
      --baselines "$RUNS/baselines-$problem" --out "$RUNS/evaluate-$problem-lr$rate"
    $ALRS report "$RUNS/evaluate-$problem-lr$rate"
  done
}

# The controller saw 10,000 validation images per decision in training: evaluated the same way.
mnist() { compare mnist-mlp 10000; }

# Reduced for this CPU: batch 128 instead of 1000 (LeNet-5 costs ~8x the MLP per image), and
# 2000 validation images per decision; steps (1000) and decision interval (10) as trained.
transfer() { compare fmnist-lenet 2000 --batch-size 128; }

# The ablation (docs/results.md, "Ablation"): every configuration of docs/results/ablation/ with
# the same shortened protocol, trained with the seeds listed, then evaluated from each start on
# seeds 0-4 against the 33-schedule grid selected on seed 100. ABLATION overrides the list.
ABLATION=${ABLATION:-"today:1 fixes:1 fixes-wide:1 fixes-wide:2 fixes-wide:3"}
ablation() {
  local here=docs/results/ablation
  # The three families the ablation was judged against (the grid has more since).
  local families=constant,step-decay,cosine
  $ALRS baselines --config $here/protocol.hocon --families $families --seeds 1 --seed $SELECTION_SEED --out "$RUNS/ablation/select"
  $ALRS baselines --config $here/protocol.hocon --families $families --seeds 5 --seed 0 --shortlist "$RUNS/ablation/select" --out "$RUNS/ablation/baselines"
  local runs=()
  for entry in $ABLATION; do
    local config=${entry%%:*} seed=${entry##*:}
    $here/train.sh "$config" "$seed" "$RUNS/ablation/$config-s$seed" $ALRS
    $here/evaluate.sh "$RUNS/ablation/$config-s$seed" "$RUNS/ablation/baselines" "$RUNS/ablation/eval/$config-s$seed" $ALRS
    runs+=("$config-s$seed")
  done
  python3 $here/table.py "$RUNS/ablation/eval" "${runs[@]}"
  # The training seed is chosen like a baseline: by validation loss on the selection seed.
  local seeds=()
  for run in "${runs[@]}"; do
    [[ $run == fixes-wide-s* ]] || continue
    for lr in "${INITIAL_RATES[@]}"; do
      $ALRS evaluate --policy "$RUNS/ablation/$run" --config "$RUNS/ablation/$run.hocon" --initial-lr "$lr" \
        --seed $SELECTION_SEED --seeds 1 --out "$RUNS/ablation/select-controllers/$run/from-$lr"
    done
    seeds+=("$run")
  done
  python3 $here/select.py "$RUNS/ablation/select-controllers" "${seeds[@]}"
}

# comparators PROBLEM VALIDATION [extra flags...]: the families added after the first runs
# (knee, hypergradient, the probe tuner at equal steps and at equal child compute), selected
# on seed 100 and reported on seeds 0-4 exactly as compare() does for the first three. The
# selection summaries are kept in docs/results/selection/.
NEW_FAMILIES=knee,hypergradient,probe,probe-equal-compute
comparators_on() {
  local problem=$1 validation=$2; shift 2
  $ALRS baselines --preset "$problem" "$@" --families $NEW_FAMILIES --seeds 1 --seed $SELECTION_SEED --out "$RUNS/select-new-$problem"
  $ALRS baselines --preset "$problem" "$@" --families $NEW_FAMILIES --seeds 5 --validation-samples "$validation" \
    --shortlist "$RUNS/select-new-$problem" --out "$RUNS/baselines-new-$problem"
}
comparators() {
  comparators_on mnist-mlp 10000
  comparators_on fmnist-lenet 2000 --batch-size 128
}

# The paper's experiment, shortened like the ablation (docs/results.md, "Trained on
# Fashion-MNIST"): the ablation's best configuration trained on Fashion-MNIST LeNet-5, every
# baseline family selected on seed 100 and reported on seeds 0-4, the trained policy and the
# ablation's MNIST policy (fixes-wide, training seed 2, unchanged) evaluated from each start on
# seeds 0-4, then paired with every family. FMNIST_SEED overrides the training seed (1).
fmnist() {
  local here=docs/results/fmnist ablation=docs/results/ablation out=$RUNS/fmnist
  local run=$out/fixes-wide-s${FMNIST_SEED:-1}
  $ablation/train.sh $here/fixes-wide.hocon "${FMNIST_SEED:-1}" "$run" $ALRS
  $ALRS baselines --config $here/protocol.hocon --seeds 1 --seed $SELECTION_SEED --out "$out/select"
  $ALRS baselines --config $here/protocol.hocon --seeds 5 --seed 0 --shortlist "$out/select" --out "$out/baselines"
  for lr in "${INITIAL_RATES[@]}"; do
    # --baselines: the constant at the start on seeds 0-4 is taken from the report, not run again.
    $ALRS evaluate --policy "$run" --config "$run.hocon" --initial-lr "$lr" --seed 0 --seeds 5 \
      --baselines "$out/baselines" --out "$out/eval/trained/from-$lr"
    $ALRS evaluate --policy docs/results/policies/ablation/fixes-wide-s2.alrspol --config $here/fixes-wide.hocon \
      --initial-lr "$lr" --seed 0 --seeds 5 --baselines "$out/baselines" --out "$out/eval/transfer/from-$lr"
  done
  python3 $here/table.py "$out/eval" trained transfer --baselines "$out/baselines"
}

# The residual controller on the MNIST-MLP knee (docs/results.md, 2026-12-03): three training
# seeds of residual-knee, each selected on seed 100 like a baseline and evaluated on seeds 0-4
# (one start suffices: the residual action does not use the start rate), paired with the
# committed seed-100 selections of every family re-run on seeds 0-4.
residual() {
  local here=docs/results/ablation out=$RUNS/residual
  local baselines=()
  for family in "" -knee -tuners; do
    mkdir -p "$out/baselines$family"
    cp docs/results/selection/ablation-mnist-mlp$family-shortlist-seeds0-4.json "$out/baselines$family/summary.json"
    baselines+=("$out/baselines$family")
  done
  local runs=()
  for seed in 1 2 3; do
    local run=residual-knee-s$seed
    $here/train.sh residual-knee "$seed" "$out/$run" $ALRS
    for lr in "${INITIAL_RATES[@]}"; do
      $ALRS evaluate --policy "$out/$run" --config "$out/$run.hocon" --initial-lr "$lr" --seed $SELECTION_SEED --seeds 1 --out "$out/select/$run/from-$lr"
    done
    $ALRS evaluate --policy "$out/$run" --config "$out/$run.hocon" --initial-lr 0.01 --seed 0 --seeds 5 \
      --baselines "$out/baselines/summary.json" --out "$out/eval/$run/from-0.01"
    runs+=("$run")
  done
  python3 $here/select.py "$out/select" "${runs[@]}"
  python3 docs/results/fmnist/table.py "$out/eval" "${runs[@]}" --baselines "${baselines[@]}"
}

# The same three residual policies (committed, no training) and every family's seed-100 winner
# on report seeds 0-19, decided before any of it ran: with 5 seeds the knee comparison's interval
# was wider than the gain. One thread, as the table in docs/results.md was made: the child's
# floating-point sums depend on the thread count (a knee run moves by up to 0.002 in test loss).
residual20() {
  local out=$RUNS/residual20 runs=()
  OMP_NUM_THREADS=1 $ALRS baselines --config docs/results/ablation/protocol.hocon \
    --shortlist docs/results/selection/ablation-mnist-mlp-winners-seeds0-4.json --seed 0 --seeds 20 --out "$out/baselines"
  for seed in 1 2 3; do
    OMP_NUM_THREADS=1 $ALRS evaluate --policy docs/results/policies/ablation/residual-knee-s$seed.alrspol \
      --config docs/results/ablation/residual-knee.hocon --initial-lr 0.01 --seed 0 --seeds 20 \
      --baselines "$out/baselines/summary.json" --out "$out/eval/residual-knee-s$seed/from-0.01"
    runs+=("residual-knee-s$seed")
  done
  python3 docs/results/fmnist/table.py "$out/eval" "${runs[@]}" --baselines "$out/baselines"
}

# Fashion-MNIST LeNet-5: the three residual-knee training seeds (committed policies, v20 after
# 160 episodes), each once on the selection seed, then every family's winner and the three
# policies on report seeds 0-9, fixed before the runs; one thread, as residual20.
fmnist10() {
  local out=$RUNS/fmnist10 runs=()
  OMP_NUM_THREADS=1 $ALRS baselines --config docs/results/fmnist/residual-knee.hocon \
    --shortlist docs/results/selection/fmnist-lenet-short-winners-seeds0-4.json --seed 0 --seeds 10 --out "$out/baselines"
  for seed in 1 2 3; do
    local policy=docs/results/policies/fmnist/residual-knee-s$seed-v20.alrspol
    OMP_NUM_THREADS=1 $ALRS evaluate --policy $policy --config docs/results/fmnist/residual-knee.hocon --initial-lr 0.01 \
      --seed $SELECTION_SEED --seeds 1 --out "$out/select/residual-knee-s$seed/from-0.01"
    OMP_NUM_THREADS=1 $ALRS evaluate --policy $policy --config docs/results/fmnist/residual-knee.hocon --initial-lr 0.01 \
      --seed 0 --seeds 10 --baselines "$out/baselines/summary.json" --out "$out/eval/residual-knee-s$seed/from-0.01"
    runs+=("residual-knee-s$seed")
  done
  python3 docs/results/fmnist/table.py "$out/eval" "${runs[@]}" --baselines "$out/baselines"
}

# residual-knee's three training seeds as one population run (alrs train --controllers 3 through
# the config's alrs.population.controllers; selection on seed 100 is part of the run), then the
# three controllers and the three separately trained committed policies (their seed-100
# selection again) beside every family's winner on report seeds 0-19; one thread, one machine.
population() {
  local out=$RUNS/population runs=()
  OMP_NUM_THREADS=1 $ALRS train --config docs/results/ablation/residual-knee-pop.hocon --out "$out/run"
  OMP_NUM_THREADS=1 $ALRS baselines --config docs/results/ablation/protocol.hocon \
    --shortlist docs/results/selection/ablation-mnist-mlp-winners-seeds0-4.json --seed 0 --seeds 20 --out "$out/baselines"
  for k in 0 1 2; do
    local policy; policy=$(ls "$out"/run/controllers/c$k/policy-v*.alrspol)
    OMP_NUM_THREADS=1 $ALRS evaluate --policy "$policy" --config docs/results/ablation/residual-knee.hocon --initial-lr 0.01 \
      --seed 0 --seeds 20 --baselines "$out/baselines/summary.json" --out "$out/eval/pop-c$k/from-0.01"
    runs+=("pop-c$k")
  done
  for seed in 1 2 3; do
    local policy=docs/results/policies/ablation/residual-knee-s$seed.alrspol
    OMP_NUM_THREADS=1 $ALRS evaluate --policy $policy --config docs/results/ablation/residual-knee.hocon --initial-lr 0.01 \
      --seed $SELECTION_SEED --seeds 1 --out "$out/select/residual-knee-s$seed/from-0.01"
    OMP_NUM_THREADS=1 $ALRS evaluate --policy $policy --config docs/results/ablation/residual-knee.hocon --initial-lr 0.01 \
      --seed 0 --seeds 20 --baselines "$out/baselines/summary.json" --out "$out/eval/residual-knee-s$seed/from-0.01"
    runs+=("residual-knee-s$seed")
  done
  python3 docs/results/fmnist/table.py "$out/eval" "${runs[@]}" --baselines "$out/baselines"
}

# Report seeds 0-9 of the Fashion-MNIST experiments from session 10 on, at one thread:
# fmnist_baselines OUT runs every family's seed-100 winner; fmnist_report POLICY CONFIG OUT RUN
# runs a policy from 1e-2 (the residual action ignores the start) paired with them.
fmnist_baselines() {
  OMP_NUM_THREADS=1 $ALRS baselines --config docs/results/fmnist/residual-knee.hocon \
    --shortlist docs/results/selection/fmnist-lenet-short-winners-seeds0-4.json --seed 0 --seeds 10 --out "$1/baselines"
}
fmnist_report() {
  OMP_NUM_THREADS=1 $ALRS evaluate --policy "$1" --config "$2" --initial-lr 0.01 \
    --seed 0 --seeds 10 --baselines "$3/baselines/summary.json" --out "$3/eval/$4/from-0.01"
}
# fmnist_population OUT CONFIG NAME: the population run of CONFIG (two controllers), the
# baselines, and controller k's last policy as run NAME-ck.
fmnist_population() {
  OMP_NUM_THREADS=1 $ALRS train --config "$2" --out "$1/run"
  fmnist_baselines "$1"
  for k in 0 1; do
    fmnist_report "$(ls "$1"/run/controllers/c$k/policy-v*.alrspol | tail -1)" "$2" "$1" "$3-c$k"
  done
}

# Fashion-MNIST LeNet-5, reward relative to the knee on the same child (alrs.env.reward = relative,
# 16 pooled training children): one population run of two controllers (PPO seeds 1 and 2, 160
# episodes each, selection on seed 100 inside the run), then every family's winner, both
# controllers and the improvement-reward policies of the same PPO seeds (the reward ablation) on
# report seeds 0-9.
fmnist_relative() {
  local out=$RUNS/fmnist-relative
  fmnist_population "$out" docs/results/fmnist/residual-relative-pop.hocon relative
  for seed in 1 2; do
    fmnist_report docs/results/policies/fmnist/residual-knee-s$seed-v20.alrspol docs/results/fmnist/residual-knee.hocon "$out" residual-knee-s$seed
  done
  python3 docs/results/fmnist/table.py "$out/eval" relative-c0 relative-c1 residual-knee-s1 residual-knee-s2 --baselines "$out/baselines"
}

# Fashion-MNIST relative reward with residual-cap 0.7:1 (session 11): one population run of two
# controllers trained with the cap, and the session-10 relative-reward policies with only their
# recorded cap changed (committed as ...-capped.alrspol), on report seeds 0-9.
fmnist_capped() {
  local out=$RUNS/fmnist-capped config=docs/results/fmnist/residual-capped-pop.hocon
  fmnist_population "$out" $config capped
  for k in 0 1; do
    fmnist_report "$(ls docs/results/policies/fmnist/residual-relative-pop-c$k-v*-capped.alrspol)" $config "$out" relative-c$k-capped
  done
  python3 docs/results/fmnist/table.py "$out/eval" capped-c0 capped-c1 relative-c0-capped relative-c1-capped --baselines "$out/baselines"
}

# Fashion-MNIST relative reward with Monte-Carlo advantages (GAE lambda = 1, session 12): one
# controller, PPO seed 2, 160 episodes; seed 100, then report seeds 0-9.
fmnist_mc() {
  local out=$RUNS/fmnist-mc config=docs/results/fmnist/residual-relative-mc.hocon
  OMP_NUM_THREADS=1 $ALRS train --config $config --out "$out/run"
  OMP_NUM_THREADS=1 $ALRS evaluate --policy "$out/run" --config $config --initial-lr 0.01 \
    --seed $SELECTION_SEED --seeds 1 --out "$out/select/relative-mc/from-0.01"
  fmnist_baselines "$out"
  fmnist_report "$out/run" $config "$out" relative-mc
  python3 docs/results/fmnist/table.py "$out/eval" relative-mc --baselines "$out/baselines"
}

# MNIST-MLP at full length (1000 steps, session 12): every family selected on seed 100 for this
# protocol and reported on seeds 0-19; residual-knee on that knee as one population run of three
# (selection on seed 100 inside the run); and the three shortened-protocol residual-knee policies
# applied unchanged; every run paired with both knees (the grid's and a finer one); one thread.
full_length() {
  local out=$RUNS/full-length runs=()
  OMP_NUM_THREADS=1 $ALRS baselines --config docs/results/full-length/protocol.hocon --seed $SELECTION_SEED --seeds 1 --out "$out/select"
  OMP_NUM_THREADS=1 $ALRS baselines --config docs/results/full-length/protocol.hocon --shortlist "$out/select" --seed 0 --seeds 20 --out "$out/baselines"
  # The knee again with peaks between the grid's 1e-3 and 1e-2 (what the learned schedule ran at).
  OMP_NUM_THREADS=1 $ALRS baselines --config docs/results/full-length/knee-fine.hocon --seed $SELECTION_SEED --seeds 1 --out "$out/select-knee-fine"
  OMP_NUM_THREADS=1 $ALRS baselines --config docs/results/full-length/knee-fine.hocon --shortlist "$out/select-knee-fine" --seed 0 --seeds 20 --out "$out/knee-fine"
  OMP_NUM_THREADS=1 $ALRS train --config docs/results/full-length/residual-knee-pop.hocon --out "$out/run"
  for k in 0 1 2; do
    local policy; policy=$(ls "$out"/run/controllers/c$k/policy-v*.alrspol | tail -1)
    OMP_NUM_THREADS=1 $ALRS evaluate --policy "$policy" --config docs/results/full-length/residual-knee-pop.hocon --initial-lr 0.01 \
      --seed 0 --seeds 20 --baselines "$out/baselines/summary.json" --out "$out/eval/full-c$k/from-0.01"
    runs+=("full-c$k")
  done
  for seed in 1 2 3; do
    OMP_NUM_THREADS=1 $ALRS evaluate --policy docs/results/policies/ablation/residual-knee-s$seed.alrspol \
      --config docs/results/full-length/residual-knee-transfer.hocon --initial-lr 0.01 \
      --seed 0 --seeds 20 --baselines "$out/baselines/summary.json" --out "$out/eval/short-s$seed/from-0.01"
    runs+=("short-s$seed")
  done
  python3 docs/results/fmnist/table.py "$out/eval" "${runs[@]}" --baselines "$out/baselines"
  python3 docs/results/fmnist/table.py "$out/eval" "${runs[@]}" --baselines "$out/knee-fine"
}

case "${1:-all}" in
  train) train ;;
  ablation) ablation ;;
  mnist) mnist ;;
  transfer) transfer ;;
  comparators) comparators ;;
  fmnist) fmnist ;;
  residual) residual ;;
  residual20) residual20 ;;
  fmnist10) fmnist10 ;;
  population) population ;;
  fmnist-relative) fmnist_relative ;;
  fmnist-capped) fmnist_capped ;;
  fmnist-mc) fmnist_mc ;;
  full-length) full_length ;;
  all) train; mnist; transfer; comparators ;;
  *) echo "usage: $0 [train|mnist|transfer|comparators|ablation|fmnist|residual|residual20|fmnist10|population|fmnist-relative|fmnist-capped|fmnist-mc|full-length|all]" >&2; exit 2 ;;
esac
