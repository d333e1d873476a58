#!/usr/bin/env bash
# Packs what a sweep on a lent GPU machine measured into what the device tool can send back (at most 8 files of
# 16 MiB, 64 MiB in all): results.tar.gz with the comparison table, the logs, each run's config, thinned curves
# (tools/thin-run-log.py) and evaluation reports, and the exported models of the lowest Fréchet distance (one image
# at a time, k = 1) that fit beside it. Usage, on the GPU machine after tools/quality-sweep.sh with HALF=1:
#   tools/gpu-collect.sh runs/sweep "$OUT" [max models, default 7]
set -euo pipefail
sweep=$1 out=$2 max_models=${3:-7}
cd "$(dirname "$0")/.."
mkdir -p "$out"
stage=$(mktemp -d); trap 'rm -rf "$stage"' EXIT
cp "$sweep"/*.log "$sweep"/comparison.md "$stage/" 2>/dev/null || true
for run in "$sweep"/*/; do
  name=$(basename "$run"); mkdir -p "$stage/$name"
  cp "$run"config.json "$run"samples.jsonl "$stage/$name/" 2>/dev/null || true
  [ -f "$run/metrics.jsonl" ] && python3 tools/thin-run-log.py "$run" "$stage/$name/curves" --block 20 > /dev/null
  for eval in "$run"*-eval; do
    [ -f "$eval/report.json" ] || continue
    mkdir -p "$stage/$name/$(basename "$eval")"; cp "$eval"/report.json "$eval"/report.md "$stage/$name/$(basename "$eval")/"
  done
done
tar czf "$out/results.tar.gz" -C "$stage" .
# rank the evaluated models by Fréchet distance, running statistics, k = 1
python3 - "$sweep" "$out" "$max_models" <<'PY'
import glob, json, os, shutil, sys
sweep, out, max_models = sys.argv[1], sys.argv[2], int(sys.argv[3])
ranked = []
for report in glob.glob(os.path.join(sweep, "*", "*-eval", "report.json")):
    modes = {m["norm"]: m for m in json.load(open(report))["modes"]}
    mode = modes.get("running") or next(iter(modes.values()))
    frechet = next(s["frechet"] for s in mode["samples"] if s["k"] == 1)
    model = report[:-len("-eval/report.json")] + ".ckpt"
    if os.path.exists(model): ranked.append((frechet, model))
budget = 64 * 2**20 - os.path.getsize(os.path.join(out, "results.tar.gz")) - 2**20
for frechet, model in sorted(ranked)[:max_models]:
    size = os.path.getsize(model)
    if size > 16 * 2**20 or size > budget: print(f"left behind: {model} ({size / 2**20:.1f} MiB)"); continue
    run = os.path.basename(os.path.dirname(model))
    shutil.copy(model, os.path.join(out, f"{run}-{os.path.basename(model)}")); budget -= size
    print(f"FD {frechet:6.1f}  {model}")
PY
