#!/usr/bin/env bash
# Packs ign and the .NET runtime into .devbundle/ so that ign runs on a GPU machine that has PyTorch but no .NET
# (the lent H200 of docs/quality.md, section 7). ign's TorchSharp-cpu build then loads that machine's libtorch,
# which has CUDA, so `--device cuda` works there without a CUDA build here. On the GPU machine, from the repo root:
#   STEPS=1404 SEEDS="0 1" VARIANTS="seed002 tight5" WIDTH=64 EMA=0 DEVICE=cuda IGN=.devbundle/ign OUT=/tmp/sweep tools/quality-sweep.sh
# The bundle is about 40 MB (xz); with the repo's tracked files it exceeds the device tool's 64 MiB, so move
# models/, docs/, data/emoji/ and data/encoders/ aside for the call (training and evaluation need only data/mnist
# and data/classifier). Checked with PyTorch 2.11 (libtorch 2.11) against TorchSharp's libtorch 2.10 interface.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/Ign.Cli -c Release > /dev/null
app=src/Ign.Cli/bin/Release/net10.0/linux-x64
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
stage=$(mktemp -d); trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/dotnet/shared" "$stage/app" .devbundle
cp -r "$dotnet_root/dotnet" "$dotnet_root/host" "$stage/dotnet/"
cp -r "$dotnet_root/shared/Microsoft.NETCore.App" "$dotnet_root/shared/Microsoft.AspNetCore.App" "$stage/dotnet/shared/"
# everything but libtorch, which comes from the GPU machine's PyTorch, and the data, which comes from the repo
(cd "$app" && cp -r ./*.dll ./*.json ign libSkiaSharp.so libHarfBuzzSharp.so libLibTorchSharp.so wwwroot "$stage/app/")
tar cf - -C "$stage" dotnet app | xz -9 -T2 > .devbundle/ign-bundle.tar.xz
cat > .devbundle/ign <<'EOF'
#!/bin/sh
# ign from the bundle, against this machine's PyTorch libtorch; unpacks itself on first use.
B=$(cd "$(dirname "$0")" && pwd)
[ -x "$B/dotnet/dotnet" ] || tar xJf "$B/ign-bundle.tar.xz" -C "$B"
torch_lib=$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')
export LD_LIBRARY_PATH="$torch_lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" DOTNET_ROOT="$B/dotnet" DOTNET_CLI_TELEMETRY_OPTOUT=1
exec "$B/dotnet/dotnet" "$B/app/ign.dll" "$@"
EOF
chmod +x .devbundle/ign
echo "wrote .devbundle/ ($(du -sh .devbundle | cut -f1)); carry it to the GPU machine and run .devbundle/ign there"
