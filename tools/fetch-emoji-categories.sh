#!/usr/bin/env bash
# Rebuilds data/emoji/emoji-google-64.categories.txt: the category of each embedded emoji (one a line, in the order of
# emoji-google-64.names.txt), from emoji.json of the npm package emoji-datasource@16.0.0, where an image file name is
# an emoji's `image` or one of its skin variations' (which share the emoji's category).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --loglevel=error emoji-datasource@16.0.0 > /dev/null
tar xzf emoji-datasource-16.0.0.tgz package/emoji.json
node -e '
const fs = require("fs");
const [json, names, out] = process.argv.slice(1);
const category = {};
for (const e of JSON.parse(fs.readFileSync(json, "utf8"))) {
  category[e.image] = e.category;
  for (const v of Object.values(e.skin_variations || {})) category[v.image] = e.category;
}
const lines = fs.readFileSync(names, "utf8").split("\n").filter(l => l.length > 0).map(name => {
  if (!(name in category)) throw new Error(`${name}: not in emoji.json`);
  return category[name];
});
fs.writeFileSync(out, lines.join("\n") + "\n");
console.log(`wrote ${out} (${lines.length} categories)`);
' package/emoji.json "$repo/data/emoji/emoji-google-64.names.txt" "$repo/data/emoji/emoji-google-64.categories.txt"
