#!/usr/bin/env python3
"""Selects a configuration's training seed on the selection seed, as the baselines are selected.

usage: select.py SELECT_ROOT RUN [RUN ...]
SELECT_ROOT/RUN/from-RATE/summary.json (or SELECT_ROOT/RUN-from-RATE.json) is `alrs evaluate
--seed 100 --seeds 1` of RUN's policy from each initial rate. Prints each run's validation loss
per start and their mean, and names the run with the lowest mean: the one to report on seeds 0-4.
Only validation losses are read; the test losses in the files play no part. Nothing to install.
"""
import json
import os
import sys

RATES = ["0.01", "0.001", "0.0001"]


def learned_validation_loss(path):
    with open(path) as f:
        summary = json.load(f)
    learned = next(s for s in summary["schedules"] if s["family"] == "learned")
    return learned["meanValidationLoss"]


def summary_path(root, run, rate):
    nested = os.path.join(root, run, f"from-{rate}", "summary.json")
    return nested if os.path.exists(nested) else os.path.join(root, f"{run}-from-{rate}.json")


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    root, runs = argv[1], argv[2:]
    means = {}
    print("| run | " + " | ".join(f"val loss from {r}" for r in RATES) + " | mean |")
    print("|---|" + "---|" * (len(RATES) + 1))
    for run in runs:
        losses = [learned_validation_loss(summary_path(root, run, r)) for r in RATES]
        means[run] = sum(losses) / len(losses)
        print(f"| {run} | " + " | ".join(f"{l:.4f}" for l in losses) + f" | {means[run]:.4f} |")
    print(f"\nselected: {min(means, key=means.get)} (lowest mean validation loss on the selection seed)")


if __name__ == "__main__":
    main(sys.argv)
