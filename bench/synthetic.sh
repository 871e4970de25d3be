#!/usr/bin/env bash
# Scans a synthetic monorepo with `--jobs 2` and prints files/s, MB/s and peak RSS.
# Usage: bench/synthetic.sh [LINES] [SHIPREADY_BIN]   (outside CI: it builds nothing)
# Default: 300000 lines, target/release/shipready. Build first: cargo build --release -p shipready
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
lines=${1:-300000}
bin=${2:-$here/../target/release/shipready}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$here/synth.py" "$work/repo" --lines "$lines"
python3 - "$bin" "$work/repo" <<'PY'
import json, os, resource, subprocess, sys, time
bin_, repo = sys.argv[1], sys.argv[2]
size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(repo) for f in fs)
runs = []
for i in range(4):
    t = time.perf_counter()
    out = subprocess.run([bin_, "scan", repo, "--format", "json", "--jobs", "2", "--no-progress", "--no-history", "--no-cache"], capture_output=True)
    runs.append(time.perf_counter() - t)
    if out.returncode not in (0, 1):
        sys.exit(f"scan failed: {out.returncode} {out.stderr.decode()[:400]}")
report = json.loads(out.stdout)
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
runs = runs[1:]  # first run warms the page cache
med = sorted(runs)[len(runs) // 2]
files = report["summary"]["files_scanned"]
print(f"files: {files}, lines: {report['summary']['lines']}, bytes: {size}")
print(f"findings: {report['summary']['findings']['total']}")
print(f"median wall time (3 runs, --jobs 2): {med:.3f} s")
print(f"throughput: {files / med:,.0f} files/s, {size / med / 1e6:.1f} MB/s, {report['summary']['lines'] / med:,.0f} lines/s")
print(f"peak RSS: {peak_kb / 1024:.1f} MB")
PY
