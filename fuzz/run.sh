#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 20: the CI smoke run) from seeds copied into a
# scratch corpus, and prints libFuzzer's last status line per target (executions, coverage).
# A long run: `fuzz/run.sh 3600 load`. When this machine cannot build the targets (cargo-fuzz
# not installable, no nightly features even with RUSTC_BOOTSTRAP=1), it says so and exits 0:
# fuzzing is a tool here, not a gate the toolchain can fail.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-20}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(load analyses tally cmdb)

if ! command -v cargo-fuzz >/dev/null; then
    cargo install cargo-fuzz --version 0.13.2 --locked --quiet ||
        { echo "fuzz: cargo-fuzz cannot be installed here: skipped"; exit 0; }
fi
# cargo-fuzz passes -Z flags (sanitizers, coverage): nightly, or stable told to allow them.
export RUSTC_BOOTSTRAP=1
if ! cargo fuzz build -O -a >build.log 2>&1; then
    echo "fuzz: the targets do not build with this toolchain (fuzz/build.log): skipped"
    exit 0
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for target in "${targets[@]}"; do
    corpus="$scratch/$target"
    mkdir -p "$corpus"
    case "$target" in
        load|analyses) cp ../examples/*.yaml "$corpus/"; find ../tests/fixtures -name '*.yaml' -exec cp {} "$corpus/" \; ;;
        tally) cp seeds/tally/* "$corpus/" ;;
        cmdb) { cat ../examples/cmdb/cmdb_ci.csv; printf '\f'; cat ../examples/cmdb/cmdb_rel_ci.csv; printf '\f';
                cat ../examples/cmdb/map.yaml; } >"$corpus/sample" ;;
    esac
    log="$scratch/$target.log"
    if ! cargo fuzz run -O -a "$target" "$corpus" -- -max_total_time="$seconds" -rss_limit_mb=2048 \
        -timeout=10 -print_final_stats=1 >"$log" 2>&1; then
        tail -n 40 "$log"
        echo "fuzz: $target found a failure (artifacts in fuzz/artifacts/$target)"
        exit 1
    fi
    runs=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | tail -n 1 || true)
    status=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | grep -o 'cov: [0-9]* ft: [0-9]* corp: [0-9/a-zA-Z]*' || true)
    echo "fuzz: $target: $runs(s); $status"
done
