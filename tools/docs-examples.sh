#!/usr/bin/env bash
# Regenerates the example pictures under docs/ from the shipped models (models/ign-mnist.ckpt, models/ign-emoji.ckpt), so they always
# show what the committed model and code do. About a minute on 2 cores. IGN=path/to/ign to use another build.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${IGN:-}" ]; then dotnet build src/Ign.Cli -c Release > /dev/null; IGN=src/Ign.Cli/bin/Release/net10.0/linux-x64/ign; fi
"$IGN" generate --count 64 --steps 1,2,3 --seed 0 --out docs/generate.png
"$IGN" project --from-test 8 --corrupt noise:0.6 --out docs/project-noise.png
"$IGN" project --from-test 8 --test-offset 8 --corrupt sketch --out docs/project-sketch.png
"$IGN" project --from-test 8 --test-offset 16 --corrupt occlude:size=10 --out docs/project-occlude.png
"$IGN" project --from-test 8 --test-offset 16 --corrupt occlude:size=10 --inpaint --out docs/project-inpaint.png
"$IGN" project --from-test 8 --test-offset 24 --corrupt lowres:size=7 --out docs/project-lowres.png
"$IGN" project --input docs/inputs/seven.png docs/inputs/zero_rgba.png --out docs/project-drawings.png
if [ -d /usr/share/datasets/fashion-mnist ]; then "$IGN" score --roc docs/ood --count 2000
else echo "docs/ood/ left as it is: the ROC needs Fashion-MNIST (apt-get install dataset-fashion-mnist)" >&2; fi
"$IGN" iterate --count 8 --k 0,1,2,3,10,100,1000,3000 --out docs/iterate.png
"$IGN" latent interpolate --from 0 --to 1000 --points 10 --rows 6 --path spherical --out docs/latent-interpolate.png
"$IGN" latent arithmetic --rows 6 --out docs/latent-arithmetic.png
"$IGN" latent halves --rows 6 --out docs/latent-halves.png
E=models/ign-emoji.ckpt   # the 64×64 colour model
"$IGN" generate --checkpoint $E --count 64 --steps 1 --seed 0 --out docs/emoji-generate.png
"$IGN" generate --checkpoint $E --count 16 --steps 0,1,2,3 --seed 1 --out docs/emoji-generate-k.png
"$IGN" project --checkpoint $E --from-test 8 --corrupt grayscale --out docs/emoji-colourise.png
"$IGN" project --checkpoint $E --from-test 8 --test-offset 8 --corrupt noise:0.3 --out docs/emoji-noise.png
"$IGN" project --checkpoint $E --from-test 8 --test-offset 16 --corrupt occlude --out docs/emoji-occlude.png
"$IGN" project --checkpoint $E --from-test 8 --test-offset 16 --corrupt occlude --inpaint --out docs/emoji-inpaint.png
