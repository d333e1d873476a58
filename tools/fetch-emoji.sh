#!/usr/bin/env bash
# Rebuilds data/emoji/ from the npm package emoji-datasource-google@16.0.0: its 3 786 Noto emoji
# (img/google/64/*.png, RGBA 64×64) composited on white by `ign data pack`, then checks the SHA-256 of the
# uncompressed IDX against the one the loader expects (src/Ign/Data/EmojiSet.cs). IGN=path/to/ign to use another build.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
expected=6c4415636a0acaae5a01ec89986fb72572c8264e2fde61da2738a37d5001b821
if [ -z "${IGN:-}" ]; then
  dotnet build "$repo/src/Ign.Cli" -c Release > /dev/null
  IGN="$repo/src/Ign.Cli/bin/Release/net10.0/linux-x64/ign"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --loglevel=error emoji-datasource-google@16.0.0 > /dev/null
tar xzf emoji-datasource-google-16.0.0.tgz package/img/google/64 package/LICENSE package/package.json
count=$(ls package/img/google/64/*.png | wc -l)
[ "$count" = 3786 ] || { echo "expected 3786 emoji pictures, found $count" >&2; exit 1; }
mkdir -p "$repo/data/emoji"
"$IGN" data pack --folder package/img/google/64 --size 64 --fit crop --background white --channels 3 \
  --out "$repo/data/emoji/emoji-google-64.idx.gz" --names "$repo/data/emoji/emoji-google-64.names.txt"
actual=$(gunzip -c "$repo/data/emoji/emoji-google-64.idx.gz" | sha256sum | cut -d' ' -f1)
[ "$actual" = "$expected" ] || { echo "SHA-256 $actual is not the expected $expected" >&2; exit 1; }
echo "wrote $repo/data/emoji ($count emoji, SHA-256 $actual)"
