#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ (gitignored) with seeds from the project's own fixtures and demo
# repository, plus the small hand-written seeds in fuzz/seeds/. Never from scanned repositories.
set -euo pipefail
cd "$(dirname "$0")/.."
src=(crates/*/tests/fixtures examples/shop)
seed() { # target, find predicate...
  local t=$1; shift
  mkdir -p "fuzz/corpus/$t"
  find "${src[@]}" -type f \( "$@" \) -size -256k -print0 |
    while IFS= read -r -d '' f; do
      cp "$f" "fuzz/corpus/$t/$(echo "$f" | sha1sum | cut -c1-16)"
    done
  if [ -d "fuzz/seeds/$t" ]; then cp fuzz/seeds/"$t"/* "fuzz/corpus/$t/"; fi
}
seed yaml -name '*.yaml' -o -name '*.yml'
seed json -name '*.json'
seed toml -name '*.toml'
seed dockerfile -name 'Dockerfile*' -o -name '*.dockerfile' -o -name 'Containerfile'
seed dotenv -name '.env*' -o -name '*.env'
seed prisma -name '*.prisma'
seed ts -name '*.ts' -o -name '*.mts' -o -name '*.cts'
seed tsx -name '*.tsx'
seed js -name '*.js' -o -name '*.jsx' -o -name '*.mjs' -o -name '*.cjs'
seed python -name '*.py'
seed go -name '*.go'
# The pipeline target: the first byte is the index into shipready_fuzz::PATHS.
mkdir -p fuzz/corpus/pipeline
put() { # index, source target
  for f in fuzz/corpus/"$2"/*; do
    [ -f "$f" ] || continue
    { printf "\\$(printf '%03o' "$1")"; cat "$f"; } >"fuzz/corpus/pipeline/$1-$(basename "$f")"
  done
}
put 0 ts; put 1 tsx; put 2 js; put 4 python; put 5 go; put 6 json; put 10 yaml; put 11 yaml
put 12 yaml; put 16 toml; put 19 dockerfile; put 20 dotenv; put 21 prisma
for t in fuzz/corpus/*; do echo "$(basename "$t"): $(ls "$t" | wc -l) seeds"; done
