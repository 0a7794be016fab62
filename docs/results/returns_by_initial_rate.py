#!/usr/bin/env python3
"""Training returns of an `alrs train` run split by the episode's initial learning rate.

Reads RUN-DIR/tensorboard/events.out.tfevents.* (TFRecord of Event protos, parsed by hand so
nothing needs installing), cuts each environment's decisions into episodes of
DECISIONS decisions, and prints the mean return (dense reward: minus the validation loss at
every decision) per block of episodes and per initial-rate bucket.

usage: returns_by_initial_rate.py RUN-DIR [DECISIONS=100] [BLOCK=50]
"""
import glob, math, struct, sys
from collections import defaultdict


def varint(buf, i):
    shift = value = 0
    while True:
        b = buf[i]; i += 1
        value |= (b & 0x7F) << shift
        if b < 0x80: return value, i
        shift += 7


def fields(buf):
    """(field number, wire type, value) of one protobuf message; nested messages stay bytes."""
    i = 0
    while i < len(buf):
        key, i = varint(buf, i)
        number, wire = key >> 3, key & 7
        if wire == 0: value, i = varint(buf, i)
        elif wire == 1: value = buf[i:i + 8]; i += 8
        elif wire == 5: value = buf[i:i + 4]; i += 4
        elif wire == 2:
            length, i = varint(buf, i); value = buf[i:i + length]; i += length
        else: raise ValueError(f"wire type {wire}")
        yield number, wire, value


def scalars(path):
    """(step, tag, value) of every simple_value in an event file."""
    data = open(path, "rb").read()
    i = 0
    while i + 12 <= len(data):
        (length,) = struct.unpack_from("<Q", data, i)
        record = data[i + 12:i + 12 + length]
        i += 12 + length + 4
        step = 0
        for number, _, value in fields(record):
            if number == 2: step = value
            elif number == 5:
                for n, _, v in fields(value):
                    if n != 1: continue
                    tag, simple = None, None
                    for n2, _, v2 in fields(v):
                        if n2 == 1: tag = v2.decode()
                        elif n2 == 2: (simple,) = struct.unpack("<f", v2)
                    if tag is not None and simple is not None: yield step, tag, simple


def main():
    run = sys.argv[1]
    decisions = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    block = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    per_env = defaultdict(list)  # env -> [(step, lr, val_loss)]
    pending = {}
    for path in sorted(glob.glob(f"{run}/tensorboard/events.out.tfevents.*")):
        for step, tag, value in scalars(path):
            if not tag.startswith("env/"): continue
            _, env, metric = tag.split("/")
            pending.setdefault((env, step), {})[metric] = value
    for (env, step), m in sorted(pending.items(), key=lambda kv: kv[0][1]):
        if "learning_rate" in m and "val_loss" in m: per_env[env].append((step, m["learning_rate"], m["val_loss"]))
    episodes = []  # (end step, initial-rate bucket, return)
    for env, rows in per_env.items():
        for start in range(0, len(rows) - decisions + 1, decisions):
            chunk = rows[start:start + decisions]
            # The first logged rate is after one action (x1.05 at most): the bucket is the nearest power of ten.
            bucket = 10 ** round(math.log10(chunk[0][1]))
            episodes.append((chunk[-1][0], bucket, -sum(r[2] for r in chunk)))
    episodes.sort()
    buckets = sorted({b for _, b, _ in episodes}, reverse=True)
    print(f"{len(episodes)} complete episodes; mean return per block of {block} episodes (episodes in bucket)")
    print("episodes   " + "".join(f"{'from ' + format(b, 'g'):>20}" for b in buckets) + f"{'all':>12}")
    for first in range(0, len(episodes), block):
        part = episodes[first:first + block]
        cells = []
        for b in buckets:
            values = [r for _, bb, r in part if bb == b]
            cells.append(f"{sum(values) / len(values):>14.2f} ({len(values):>3})" if values else f"{'-':>20}")
        print(f"{first + 1:>4}-{first + len(part):<5}" + "".join(cells) + f"{sum(r for *_, r in part) / len(part):>12.2f}")


if __name__ == "__main__":
    main()
