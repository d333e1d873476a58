#!/usr/bin/python3
"""Keeps a training run's curves small enough to commit: metrics.jsonl averaged over blocks of N steps (the loss
terms that were logged, the last step's time, speed and memory), samples.jsonl as it is. `ign curves` reads the result
like a run folder, e.g. for issue 25's three seeds, trained in different sessions:
    tools/thin-run-log.py runs/sweep/emoji-tight5-cosine-s0 docs/quality/emoji-runs/s0 --block 20
"""
import argparse, json, os, shutil

POSITION = ("step", "epoch")                                # the block's last step
RUN_STATE = ("imagesPerSecond", "elapsedSeconds", "rssMiB")  # as at the block's last step

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run"); parser.add_argument("out"); parser.add_argument("--block", type=int, default=20)
    args = parser.parse_args()
    with open(os.path.join(args.run, "metrics.jsonl")) as log:
        entries = [json.loads(line) for line in log if line.strip()]
    logged = [k for k in entries[0]
              if k not in POSITION + RUN_STATE and any(e.get(k, 0) != 0 for e in entries)]
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "metrics.jsonl"), "w") as out:
        for i in range(0, len(entries), args.block):
            block = entries[i:i + args.block]
            row = {k: block[-1][k] for k in POSITION if k in block[-1]}
            row.update({k: round(sum(e.get(k, 0) for e in block) / len(block), 5) for k in logged})
            row.update({k: round(block[-1][k], 2) for k in RUN_STATE if k in block[-1]})
            out.write(json.dumps(row, separators=(",", ":")) + "\n")
    for name in ("samples.jsonl", "config.json"):
        if os.path.exists(os.path.join(args.run, name)):
            shutil.copy(os.path.join(args.run, name), os.path.join(args.out, name))
    print(f"{args.out}: {len(entries)} steps in blocks of {args.block}, terms {', '.join(logged)}")

main()
