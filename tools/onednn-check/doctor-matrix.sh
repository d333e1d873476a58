#!/usr/bin/env bash
# Runs `ign doctor` over the model shapes we ship and test, with and without oneDNN's AVX2 cap, and prints one line per
# model and condition: how many shapes libtorch computes wrongly here. Usage: tools/onednn-check/doctor-matrix.sh [REPS]
set -euo pipefail
cd "$(dirname "$0")/../.."
reps=${1:-10}
ign=src/Ign.Cli/bin/Release/net10.0/linux-x64/ign.dll
[ -f "$ign" ] || dotnet build src/Ign.Cli -c Release -v q > /dev/null
export IGN_CACHE_DIR=$(mktemp -d)   # a throwaway cache: this measures, it does not reuse verdicts
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), avx512f: $(grep -c -m1 avx512f /proc/cpuinfo || true)"
for cap in "" AVX2; do
  for spec in "dcgan-mnist 4" "dcgan-mnist 6" "dcgan-mnist 8" "dcgan-mnist 16" "dcgan-mnist 32" "dcgan-mnist 64" "dcgan64 8" "dcgan64 32" "dcgan64 40" "dcgan64 64"; do
    set -- $spec
    line=$(env ${cap:+ONEDNN_MAX_CPU_ISA=$cap} dotnet "$ign" doctor --model "$1" --width "$2" --repetitions "$reps" | tail -n 1)
    wrong=$(echo "$line" | grep -oE '^[0-9]+ of [0-9]+' || echo "0 of $(echo "$line" | grep -oE 'all [0-9]+' | cut -d' ' -f2)")
    echo "isa ${cap:-default} | $1 width $2 | libtorch wrong on $wrong shapes"
  done
done
