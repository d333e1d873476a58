#!/usr/bin/env bash
# Trains each recipe variant for the same number of steps and seeds, evaluates each with `ign evaluate`, and
# tabulates them with `ign compare` (the table of docs/quality.md). Resumable: finished runs and reports are
# skipped, a stopped run continues from its checkpoint. Long: run it in the background, e.g.
#   STEPS=1404 SEEDS="0 1" nohup tools/quality-sweep.sh > sweep.log 2>&1 &
# Variants: VARIANTS="seed002 ema recal" to pick some; see the case below for the list.
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS=${STEPS:-1404}            # 6 epochs of batch 256: where the seed recipe's samples become legible
SEEDS=${SEEDS:-"0 1"}
WIDTH=${WIDTH:-64}
SAMPLES=${SAMPLES:-5000}
OUT=${OUT:-runs/sweep}
VARIANTS=${VARIANTS:-"seed002 ema recal ema-recal groupnorm paper warmup cosine"}
dotnet build src/Ign.Cli -c Release > /dev/null
IGN=src/Ign.Cli/bin/Release/net10.0/linux-x64/ign

options() {
  case "$1" in
    seed002)   echo "" ;;
    ema)       echo "--ema 0.999" ;;
    recal)     echo "--recalibrate-bn 40" ;;
    ema-recal) echo "--ema 0.999 --recalibrate-bn 40" ;;
    groupnorm) echo "--model dcgan-mnist-gn" ;;
    paper)     echo "--clamp tanh --prior spectral" ;;
    warmup)    echo "--tight-warmup 500" ;;
    cosine)    echo "--lr-schedule cosine" ;;
    *) echo "unknown variant $1" >&2; exit 2 ;;
  esac
}

reports=()
for variant in $VARIANTS; do
  for seed in $SEEDS; do
    run="$OUT/$variant-s$seed"
    if [ ! -f "$run/model.ckpt" ]; then
      if [ -f "$run/checkpoint.ckpt" ]; then "$IGN" train --resume "$run"
      else "$IGN" train --preset seed002 --width "$WIDTH" --steps "$STEPS" --seed "$seed" --out "$run" $(options "$variant"); fi
    fi
    if [ ! -f "$run/eval/report.json" ]; then
      "$IGN" evaluate --checkpoint "$run/model.ckpt" --samples "$SAMPLES" --projections 2000 --seed 0 --out "$run/eval"
    fi
    reports+=("$run/eval/report.json")
  done
done
"$IGN" compare --report "${reports[@]}" --out "$OUT/comparison.md"
echo "table: $OUT/comparison.md"
