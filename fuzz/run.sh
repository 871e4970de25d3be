#!/usr/bin/env bash
# Runs one built fuzz target for SECONDS (default 600) at the lowest priority, with the limits
# used for the recorded runs. Build first: cargo fuzz build -s none   (from the repo root)
set -euo pipefail
cd "$(dirname "$0")"
t=$1; secs=${2:-600}
mkdir -p "corpus/$t" "artifacts/$t" logs
exec nice -n 19 "target/x86_64-unknown-linux-gnu/release/$t" "corpus/$t" \
  -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 \
  -artifact_prefix="artifacts/$t/" -print_final_stats=1 >"logs/$t.log" 2>&1
