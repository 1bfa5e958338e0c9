#!/usr/bin/env bash
# Training time under each instruction-set setting, as ratios to the default, in one BenchmarkDotNet run:
# default (baseline), DOTNET_EnableAVX512=0, DOTNET_EnableAVX=0, DOTNET_EnableHWIntrinsic=0, for one epoch of
# a-1, b-32 and c-256 on one and two threads (IsaRatioBenchmarks). Prints the CPU and the load average before and after.
# Usage: benchmarks/isa-ratios.sh [extra BenchmarkDotNet arguments, e.g. --filter '*c-256*']
set -euo pipefail
cd "$(dirname "$0")/.."
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p' | head -n 1)"
echo "flags: $(grep -o -w -E 'avx512f|avx2|fma|sse4_2' /proc/cpuinfo | sort -u | tr '\n' ' ')"
echo "load before: $(cut -d ' ' -f 1-3 /proc/loadavg)"
dotnet run -c Release --project benchmarks/L1Net.Benchmarks -- --filter '*IsaRatioBenchmarks*' "$@"
echo "load after: $(cut -d ' ' -f 1-3 /proc/loadavg)"
