#!/usr/bin/env python3
"""Trained-on-target and transfer tables of docs/results.md from `alrs evaluate` and `alrs baselines` outputs.

usage: table.py EVAL_ROOT RUN [RUN ...] --baselines SUMMARY_DIR [SUMMARY_DIR ...]
EVAL_ROOT/RUN/from-RATE/summary.json holds the learned policy's runs (evaluate.sh writes it);
each baselines directory holds a summary.json of `alrs baselines --shortlist` on the report seeds.
The constant at the start comes from the evaluation's own summary (alrs evaluate runs or reuses it).
For each run and initial rate: the learned test loss and accuracy (mean +- std over seeds), then
the paired difference (learned - baseline, per seed; mean and two-sided 95 % Student-t interval)
from the best of every family, from the best constant (a constant in the baselines summaries: a
shortlist carries the one selected on the selection seed) and from the constant at the start.
± is the population standard deviation over seeds (as alrs prints it); intervals use the sample
standard deviation of the paired differences. Nothing to install.
"""
import json
import math
import os
import sys

T975 = {1: 12.706205, 2: 4.302653, 3: 3.182446, 4: 2.776445, 5: 2.570582, 6: 2.446912, 7: 2.364624, 8: 2.306004, 9: 2.262157,
        10: 2.228139, 11: 2.200985, 12: 2.178813, 13: 2.160369, 14: 2.144787, 15: 2.131450, 16: 2.119905, 17: 2.109816, 18: 2.100922, 19: 2.093024,
        20: 2.085963, 21: 2.079614, 22: 2.073873, 23: 2.068658, 24: 2.063899, 25: 2.059539, 26: 2.055529, 27: 2.051831, 28: 2.048407, 29: 2.045230}
RATES = ["0.01", "0.001", "0.0001"]


def mean_std(values, ddof=0):
    m = sum(values) / len(values)
    return m, math.sqrt(sum((v - m) ** 2 for v in values) / (len(values) - ddof)) if len(values) > ddof else 0.0


def paired(learned, baseline):
    by_seed = {r["seed"]: r["testLoss"] for r in baseline}
    diffs = [r["testLoss"] - by_seed[r["seed"]] for r in learned if r["seed"] in by_seed]
    m, s = mean_std(diffs, ddof=1)
    half = T975[len(diffs) - 1] * s / math.sqrt(len(diffs))
    verdict = "ahead" if m + half < 0 else "behind" if m - half > 0 else "within noise"
    return f"{m:+.4f} [{m - half:+.4f}, {m + half:+.4f}] {verdict}"


def best_per_family(summaries):
    """The reported schedule that won each family's selection (the summary's "best" map), and every constant."""
    best, constants = {}, {}
    for summary in summaries:
        by_name = {s["name"]: s for s in summary["schedules"]}
        for family, name in summary["best"].items():
            if name and name in by_name:
                best[by_name[name]["family"]] = by_name[name]
        for s in summary["schedules"]:
            if s["family"] == "constant":
                constants[s["name"]] = s
    return best, constants


def main():
    args = sys.argv[1:]
    split = args.index("--baselines")
    root, runs, dirs = args[0], args[1:split], args[split + 1:]
    summaries = [json.load(open(os.path.join(d, "summary.json"))) for d in dirs]
    best, constants = best_per_family(summaries)
    families = [f for f in ("step-decay", "cosine", "knee", "hypergradient", "probe", "probe-equal-compute") if f in best]
    print("Best of each family on the report seeds (test loss, mean ± std):")
    for family in families:
        s = best[family]
        print(f"- {family}: {s['name']} {s['meanTestLoss']:.4f} ± {s['stdTestLoss']:.4f}, {100 * s['meanTestAccuracy']:.2f} %")
    print()
    best_constant = min(constants.values(), key=lambda s: s["meanValidationLoss"]) if constants else None
    if best_constant:
        print(f"- best constant: {best_constant['name']} {best_constant['meanTestLoss']:.4f} ± {best_constant['stdTestLoss']:.4f}")
        print()
    print("| run | start | test loss (± population std) | test accuracy | " + " | ".join(f"− best {f}" for f in families)
          + (" | − best constant" if best_constant else "") + " | − constant at the start |")
    print("|---|---|---|---|" + "---|" * len(families) + ("---|" if best_constant else "") + "---|")
    for run in runs:
        for rate in RATES:
            path = os.path.join(root, run, f"from-{rate}", "summary.json")
            if not os.path.exists(path):
                continue
            evaluated = json.load(open(path))["schedules"]
            learned = next(s for s in evaluated if s["family"] == "learned")["runs"]
            # The constant at the start: from the evaluation itself (alrs evaluate runs it on the same seeds), else a baselines summary.
            constant = next((s for s in evaluated if s["name"] == f"constant(lr={rate})"), None) or constants.get(f"constant(lr={rate})")
            loss = mean_std([r["testLoss"] for r in learned])
            accuracy = mean_std([100 * r["testAccuracy"] for r in learned])
            cells = [paired(learned, best[f]["runs"]) for f in families]
            if best_constant:
                cells.append(paired(learned, best_constant["runs"]))
            cells.append(paired(learned, constant["runs"]) if constant else "n/a")
            print(f"| {run} | {rate} | {loss[0]:.4f} ± {loss[1]:.4f} | {accuracy[0]:.2f} ± {accuracy[1]:.2f} % | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
