#!/usr/bin/env bash
# Runs the same IGN training step in PyTorch (../shared/bench/peer_pytorch_step.py, Debian's python3-torch)
# and in ign bench, one after the other on this machine, and prints the ratio of training img/s.
# Usage: bench/peer_pytorch.sh [batch] [threads]     (not part of the test suite)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
batch=${1:-256}
threads=${2:-$(nproc)}
peer="$repo/../shared/bench/peer_pytorch_step.py"
python=${PYTHON:-/usr/bin/python3}   # Debian's python3-torch lives in the system interpreter
[ -f "$peer" ] || { echo "error: $peer not found (the team's shared/ folder must sit beside the repository)" >&2; exit 1; }
"$python" -c "import torch" 2>/dev/null || { echo "error: PyTorch missing: apt-get install python3-torch" >&2; exit 1; }

dotnet build "$repo/src/Ign.Cli" -c Release -v quiet -nologo >/dev/null
ign="$repo/src/Ign.Cli/bin/Release/net10.0/linux-x64/ign"

echo "== PyTorch $("$python" -c 'import torch; print(torch.__version__)'), batch $batch, $threads threads"
peer_out=$("$python" "$peer" "$batch" 10 "$threads")
echo "$peer_out"
echo "== ign bench, batch $batch, $threads threads"
json=$(mktemp --suffix=.json)
"$ign" bench --batch "$batch" --threads "$threads" --memory-steps 0 --out "$json"
peer_train=$(echo "$peer_out" | sed -nE 's/^train:.* ([0-9.]+) img\/s$/\1/p')
peer_gen=$(echo "$peer_out" | sed -nE 's/^generate: ([0-9.]+) img\/s$/\1/p')
ours_train=$(python3 -c "import json; print(json.load(open('$json'))['throughput'][0]['trainImagesPerSecond'])")
ours_gen=$(python3 -c "import json; print(json.load(open('$json'))['throughput'][0]['generateImagesPerSecond'])")
python3 - "$peer_train" "$ours_train" "$peer_gen" "$ours_gen" <<'PY'
import sys
pt, ot, pg, og = map(float, sys.argv[1:])
print(f"train: PyTorch {pt:.1f} img/s, ign {ot:.1f} img/s, ratio {ot/pt:.1f}x")
print(f"generate: PyTorch {pg:.0f} img/s, ign {og:.0f} img/s, ratio {og/pg:.1f}x")
PY
rm -f "$json"

echo "== same losses on formula-defined weights and inputs (seed-002 step, dropout off)"
echo "PyTorch: $("$python" "$repo/bench/peer_losses.py")"
echo "ign:     $("$ign" bench --loss-check)"
