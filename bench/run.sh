#!/usr/bin/env bash
# shipready against its peers, side by side, one hyperfine invocation per repository.
#
# Usage:
#   bench/run.sh [--install] REPO_DIR...      time shipready and the peers on each repository
#   bench/run.sh --scaling [LINES]             peak RSS and time on 1x, 2x, 4x synthetic corpora
#   bench/run.sh --warm REPO_DIR               cold scan vs warm re-scan after changing one file
#   bench/run.sh --startup                     start-up on a tiny repository (examples/shop)
#
# What is timed per repository (cwd = the repository, JOBS threads):
#   rg-read-all   rg -c . --hidden -g '!.git'         read every byte (the floor)
#   ast-grep      ast-grep scan with the peer kit's 12 rules
#   semgrep       semgrep scan with the same 12 rules (SKIP_SEMGREP=1 to leave it out: it is slow)
#   shipready     shipready scan --no-history --no-cache --format json   (the whole catalog, cold)
# then the median of each, its ratio to ripgrep and to ast-grep, and peak RSS (one extra run
# each under GNU time: the largest single process).
#
# The 12 peer rules come from the peer kit, KIT [../shared/bench next to the repository]
# (rules/astgrep/sgconfig.yml, rules/semgrep/shipready-bench.yml). Repositories: see
# $KIT/repos.txt and $KIT/lib/extract_head.py; keep them outside this repository.
#
# Peers are installed outside CI, only with --install or when missing and INSTALL=1:
#   ripgrep, hyperfine, time  from Debian (apt-get)
#   semgrep, ast-grep-cli     from PyPI into the virtualenv VENV [/work/bench-venv]
#
# Knobs: RUNS [5] WARMUP [1] JOBS [2] BIN [target/release/shipready] OUT [mktemp -d].
# Build first: cargo build --release -p shipready. This script never builds or runs anything
# from the repositories it measures.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
KIT=${KIT:-$(cd "$root/.." && pwd)/shared/bench}
VENV=${VENV:-/work/bench-venv}
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
JOBS=${JOBS:-2}
BIN=${BIN:-$root/target/release/shipready}
OUT=${OUT:-$(mktemp -d -t shipready-bench.XXXXXX)}
mkdir -p "$OUT"

install_peers() {
  local need_apt=()
  command -v rg >/dev/null || need_apt+=(ripgrep)
  command -v hyperfine >/dev/null || need_apt+=(hyperfine)
  [[ -x /usr/bin/time ]] || need_apt+=(time)
  if ((${#need_apt[@]})); then
    apt-get update -qq && apt-get install -y -qq "${need_apt[@]}"
  fi
  if [[ ! -x $VENV/bin/semgrep || ! -x $VENV/bin/ast-grep ]]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q semgrep ast-grep-cli
  fi
}

mode=repos
case ${1:-} in
  --install) install_peers; shift ;;
  --scaling) mode=scaling; shift ;;
  --warm) mode=warm; shift ;;
  --startup) mode=startup; shift ;;
  -h | --help | "") sed -n '2,28p' "$0"; exit 2 ;;
esac
if [[ ${INSTALL:-0} == 1 ]]; then install_peers; fi
[[ -x $BIN ]] || { echo "no shipready binary at $BIN (cargo build --release -p shipready)" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "hyperfine missing: bench/run.sh --install" >&2; exit 2; }
q() { printf '%q' "$1"; }
ship="$(q "$BIN") scan . --no-history --no-cache --no-progress --format json --jobs $JOBS > /dev/null"

machine() {
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)  cpus: $(nproc)  load: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "cpu: $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)  shipready: $("$BIN" --version 2>/dev/null)"
}

# Median seconds of each command and ratios, from a hyperfine JSON export.
summarise() {
  python3 - "$1" "$2" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
mem = json.load(open(sys.argv[2])) if sys.argv[2] else {}
med = {r["command"]: r["median"] for r in res}
rg, ag = med.get("rg-read-all"), med.get("ast-grep")
print(f"{'command':<14}{'median s':>10}{'x rg':>8}{'x ast-grep':>12}{'peak RSS MB':>13}")
for name, m in med.items():
    xr = f"{m / rg:.1f}" if rg else "-"
    xa = f"{m / ag:.2f}" if ag else "-"
    rss = mem.get(name)
    print(f"{name:<14}{m:>10.3f}{xr:>8}{xa:>12}{(f'{rss / 1024:.0f}' if rss else '-'):>13}")
PY
}

peak_rss() { # NAME CMD -> prints "NAME KB"
  local f
  f=$(mktemp)
  /usr/bin/time -o "$f" -f '%M' bash -c "$2" > /dev/null 2>&1 || true
  echo "$1 $(tail -1 "$f")"
  rm -f "$f"
}

if [[ $mode == repos ]]; then
  [[ $# -ge 1 ]] || { sed -n '2,28p' "$0"; exit 2; }
  export PATH="$VENV/bin:$PATH" SEMGREP_SEND_METRICS=off SEMGREP_ENABLE_VERSION_CHECK=0
  for t in rg ast-grep; do command -v $t >/dev/null || { echo "$t missing: bench/run.sh --install" >&2; exit 2; }; done
  [[ ${SKIP_SEMGREP:-0} == 1 ]] || command -v semgrep >/dev/null || { echo "semgrep missing: bench/run.sh --install" >&2; exit 2; }
  [[ -f $KIT/rules/astgrep/sgconfig.yml ]] || { echo "peer kit not found at $KIT (set KIT)" >&2; exit 2; }
  machine | tee "$OUT/machine.txt"
  for repo in "$@"; do
    dir=$(cd "$repo" && pwd)
    name=$(basename "$dir")
    echo; echo "=== $name ($dir)"
    names=(rg-read-all ast-grep)
    cmds=(
      "rg -c . --hidden -g '!.git' -j $JOBS > /dev/null"
      "ast-grep scan -c $(q "$KIT/rules/astgrep/sgconfig.yml") -j $JOBS --no-ignore hidden --globs '!.git' --globs '!*.{html,htm,xhtml}' --json=compact . > /dev/null"
    )
    if [[ ${SKIP_SEMGREP:-0} != 1 ]]; then
      names+=(semgrep)
      cmds+=("semgrep scan --config $(q "$KIT/rules/semgrep/shipready-bench.yml") --metrics=off --disable-version-check -j $JOBS --x-ignore-semgrepignore-files --json -q . > /dev/null 2>&1")
    fi
    names+=(shipready)
    cmds+=("$ship")
    args=()
    for i in "${!cmds[@]}"; do args+=(-n "${names[$i]}" "${cmds[$i]}"); done
    (cd "$dir" && hyperfine --warmup "$WARMUP" --runs "$RUNS" --ignore-failure --style basic \
      --export-json "$OUT/$name.hyperfine.json" "${args[@]}" > "$OUT/$name.hyperfine.txt")
    (cd "$dir" && for i in "${!cmds[@]}"; do peak_rss "${names[$i]}" "${cmds[$i]}"; done) |
      python3 -c 'import json,sys; json.dump({l.split()[0]: int(l.split()[1]) for l in sys.stdin if len(l.split()) == 2 and l.split()[1].isdigit()}, open(sys.argv[1], "w"))' "$OUT/$name.mem.json"
    summarise "$OUT/$name.hyperfine.json" "$OUT/$name.mem.json" | tee "$OUT/$name.summary.txt"
  done
elif [[ $mode == scaling ]]; then
  lines=${1:-300000}
  machine
  printf '%-6s%10s%10s%12s%14s\n' size lines files 'median s' 'peak RSS MB'
  for k in 1 2 4; do
    corpus="$OUT/synth-$k"
    [[ -d $corpus ]] || python3 "$here/synth.py" "$corpus" --lines $((lines * k)) > /dev/null
    (cd "$corpus" && hyperfine --warmup 1 --runs "$RUNS" --style none --export-json "$OUT/synth-$k.json" -n shipready "$ship" > /dev/null)
    kb=$(cd "$corpus" && peak_rss x "$ship" | cut -d' ' -f2)
    python3 - "$OUT/synth-$k.json" "$k" "$lines" "$kb" "$corpus" <<'PY'
import json, os, sys
med = json.load(open(sys.argv[1]))["results"][0]["median"]
files = sum(len(f) for _, _, f in os.walk(sys.argv[5]))
print(f"{sys.argv[2] + 'x':<6}{int(sys.argv[3]) * int(sys.argv[2]):>10}{files:>10}{med:>12.3f}{int(sys.argv[4]) / 1024:>14.1f}")
PY
  done
elif [[ $mode == warm ]]; then
  [[ $# -eq 1 ]] || { sed -n '2,28p' "$0"; exit 2; }
  src=$(cd "$1" && pwd)
  work="$OUT/warm-$(basename "$src")"
  rm -rf "$work"; cp -r "$src" "$work"   # a copy: the cache and the edit stay out of the original
  rm -rf "$work/.shipready/cache"
  target=$(cd "$work" && { rg --files -g '*.go' -g '*.ts' 2>/dev/null || find . -name '*.go' -o -name '*.ts'; } | sort | sed -n 1p)
  machine
  echo "changed file: $target"
  cold="$(q "$BIN") scan . --no-history --no-cache --no-progress --format json --jobs $JOBS > /dev/null"
  warm="$(q "$BIN") scan . --no-history --no-progress --format json --jobs $JOBS > /dev/null"
  # Each warm run first appends a `//` comment to the (Go or TS) file: a real one-file change.
  edit="printf '\n// %s\n' \$RANDOM >> $(q "$work/$target")"
  (cd "$work" && bash -c "$warm" && hyperfine --warmup 1 --runs "$RUNS" --style basic \
    --export-json "$OUT/warm.json" -n cold "$cold" -n warm-one-file-changed --prepare "$edit" "$warm")
  python3 -c 'import json,sys; r={x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}; w, c = r["warm-one-file-changed"], r["cold"]; print(f"warm/cold: {w / c:.1%}")' "$OUT/warm.json"
elif [[ $mode == startup ]]; then
  machine
  tiny="$OUT/tiny"
  rm -rf "$tiny"; mkdir -p "$tiny"
  printf 'const express = require("express");\nconst app = express();\napp.get("/health", (req, res) => res.send("ok"));\napp.listen(3000);\n' > "$tiny/index.js"
  printf '{ "name": "tiny", "dependencies": { "express": "^4.19.0" } }\n' > "$tiny/package.json"
  (cd "$tiny" && hyperfine -N --warmup 3 --runs 30 --style basic \
    -n version "$(q "$BIN") --version" \
    -n scan-tiny "$(q "$BIN") scan . --no-history --no-cache --no-progress --format json --jobs $JOBS")
fi
echo "raw results: $OUT"
