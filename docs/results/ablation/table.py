#!/usr/bin/env python3
"""The ablation table of docs/results.md from `alrs evaluate --out` directories.

usage: table.py EVAL_ROOT CONFIG [CONFIG ...]
EVAL_ROOT/CONFIG/from-RATE/summary.json is what evaluate.sh writes. For each configuration and
initial rate: the learned policy's test loss and accuracy (mean +- std over seeds), and its paired
difference from the best step decay, the best cosine and the constant of the same seeds (mean of
learned - baseline per seed, two-sided 95 % Student-t interval). Nothing to install.
"""
import json
import math
import os
import sys

# Two-sided 95 % Student-t quantiles t(0.975, df) for the seed counts used here.
T975 = {1: 12.706205, 2: 4.302653, 3: 3.182446, 4: 2.776445, 5: 2.570582, 6: 2.446912, 7: 2.364624, 8: 2.306004, 9: 2.262157,
        10: 2.228139, 11: 2.200985, 12: 2.178813, 13: 2.160369, 14: 2.144787, 15: 2.131450, 16: 2.119905, 17: 2.109816, 18: 2.100922, 19: 2.093024,
        20: 2.085963, 21: 2.079614, 22: 2.073873, 23: 2.068658, 24: 2.063899, 25: 2.059539, 26: 2.055529, 27: 2.051831, 28: 2.048407, 29: 2.045230}
RATES = ["0.01", "0.001", "0.0001"]


def mean_std(values, ddof=0):
    """Mean and std; ddof 0 (population) as alrs prints it, 1 for the t-interval."""
    m = sum(values) / len(values)
    return m, math.sqrt(sum((v - m) ** 2 for v in values) / (len(values) - ddof)) if len(values) > ddof else 0.0


def paired(learned, baseline):
    by_seed = {r["seed"]: r["testLoss"] for r in baseline}
    diffs = [r["testLoss"] - by_seed[r["seed"]] for r in learned if r["seed"] in by_seed]
    m, s = mean_std(diffs, ddof=1)
    half = T975[len(diffs) - 1] * s / math.sqrt(len(diffs))
    verdict = "ahead" if m + half < 0 else "behind" if m - half > 0 else "within noise"
    return f"{m:+.4f} [{m - half:+.4f}, {m + half:+.4f}] {verdict}"


def row(summary_path, rate):
    summary = json.load(open(summary_path))
    schedules = {s["name"]: s for s in summary["schedules"]}
    learned = next(s for s in summary["schedules"] if s["family"] == "learned")
    best = {f: next((s for s in summary["schedules"] if s["family"] == f and s["name"] in json.dumps(summary["table"])), None)
            for f in ("step-decay", "cosine")}
    constant = schedules[f"constant(lr={rate})"]
    loss = mean_std([r["testLoss"] for r in learned["runs"]])
    accuracy = mean_std([r["testAccuracy"] * 100 for r in learned["runs"]])
    return (f"{loss[0]:.4f} ± {loss[1]:.4f}", f"{accuracy[0]:.2f} ± {accuracy[1]:.2f} %",
            paired(learned["runs"], best["step-decay"]["runs"]), paired(learned["runs"], best["cosine"]["runs"]),
            f'{constant["name"]}: ' + paired(learned["runs"], constant["runs"]))


def main():
    root, configs = sys.argv[1], sys.argv[2:]
    print("| configuration | start | test loss | test accuracy | − best step decay | − best cosine | − constant at the start (same seeds) |")
    print("|---|---|---|---|---|---|---|")
    for config in configs:
        for rate in RATES:
            path = os.path.join(root, config, f"from-{rate}", "summary.json")
            if os.path.exists(path):
                print(f"| {config} | {rate} | " + " | ".join(row(path, rate)) + " |")


if __name__ == "__main__":
    main()
