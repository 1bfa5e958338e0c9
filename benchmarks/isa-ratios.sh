#!/usr/bin/env bash
# Training time under each instruction-set setting, in one BenchmarkDotNet run (IsaRatioBenchmarks, IsaPeakBenchmarks):
# four jobs back to back, default (baseline), DOTNET_EnableAVX512=0, DOTNET_EnableAVX=0, DOTNET_EnableHWIntrinsic=0, for
# one epoch of a-1, b-32 and c-256 on one thread (public Train with Epochs = 1, and a bare epoch), plus the fp32 peak of
# each setting measured the way the kernels compute. Prints the CPU and the load average before and after, then a table
# of medians with each setting's ratio to the default and to AVX512=0 (an AVX2 machine's default).
# Usage: benchmarks/isa-ratios.sh [extra BenchmarkDotNet arguments, e.g. --anyCategories or a longer --job]
set -euo pipefail
cd "$(dirname "$0")/.."
artifacts="${ISA_RATIOS_ARTIFACTS:-BenchmarkDotNet.Artifacts/isa-ratios}"
rm -rf "$artifacts"
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p' | head -n 1)"
echo "flags: $(grep -o -w -E 'avx512f|avx2|fma|sse4_2|asimd' /proc/cpuinfo | sort -u | tr '\n' ' ')"
echo "load before: $(cut -d ' ' -f 1-3 /proc/loadavg)"
dotnet run -c Release --project benchmarks/L1Net.Benchmarks -- \
  --filter '*IsaRatioBenchmarks*' '*IsaPeakBenchmarks*' --buildTimeout 1200 --artifacts "$artifacts" "$@"
echo "load after: $(cut -d ' ' -f 1-3 /proc/loadavg)"

# Medians of the measured (Result) iterations per benchmark, parameters and job, in ns per operation.
medians() {
  awk -F ';' '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $col["Measurement_IterationMode"] == "Workload" && $col["Measurement_IterationStage"] == "Result" {
      key = $col["Target_Method"] ";" $col["Params"] ";" $col["Job_Id"]
      n[key]++; v[key, n[key]] = $col["Measurement_Nanoseconds"] / $col["Measurement_Operations"]
    }
    END {
      for (key in n) {
        m = n[key]; for (i = 1; i <= m; i++) a[i] = v[key, i]
        for (i = 2; i <= m; i++) { x = a[i]; j = i - 1; while (j > 0 && a[j] > x) { a[j + 1] = a[j]; j-- } a[j + 1] = x }
        med = (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
        print key ";" med
      }
    }' "$@"
}

files=$(find "$artifacts/results" -name '*-measurements.csv')
medians $files | sort > "$artifacts/medians.txt"
echo
echo "| benchmark | default | AVX512=0 | AVX=0 | HWIntrinsic=0 | AVX=0 / default | HWIntrinsic=0 / default | AVX=0 / AVX512=0 | HWIntrinsic=0 / AVX512=0 |"
echo "|---|---|---|---|---|---|---|---|---|"
awk -F ';' '
  { name = $1 (($2 == "") ? "" : " " $2); t[name, $3] = $4; names[name] = 1 }
  function show(ns) { return ns >= 1e6 ? sprintf("%.1f ms", ns / 1e6) : sprintf("%.1f us", ns / 1e3) }
  END {
    for (name in names) {
      d = t[name, "default"]; w = t[name, "AVX512=0"]; s = t[name, "AVX=0"]; h = t[name, "HWIntrinsic=0"]
      if (d == "" || w == "" || s == "" || h == "") continue
      printf "| %s | %s | %s | %s | %s | %.2fx | %.2fx | %.2fx | %.2fx |\n", name, show(d), show(w), show(s), show(h), s / d, h / d, s / w, h / w
    }
  }' "$artifacts/medians.txt" | sort

# Each setting's own fp32 peak: IsaPeakBenchmarks.Peak runs 1,000,000 iterations of 12 multiply-add chains at the GEMM's
# width, so GFLOP/s = 24e6 x lanes / time; lanes follow the CPU flags (the default's widest accelerated width). The
# report's times may carry thousands separators inside quotes ("1,883.8 us"): sed drops them before awk splits.
peak_csv=$(find "$artifacts/results" -name '*IsaPeakBenchmarks-report.csv' | head -n 1)
if [ -n "$peak_csv" ]; then
  flags=$(grep -o -w -E 'avx512f|avx2|asimd' /proc/cpuinfo | sort -u | tr '\n' ' ')
  default_lanes=4; avx2_lanes=4
  case "$flags" in *avx512f*) default_lanes=16 ;; *avx2*) default_lanes=8 ;; esac
  case "$flags" in *avx2*) avx2_lanes=8 ;; esac
  awk -F ',' -v dl="$default_lanes" -v al="$avx2_lanes" '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $col["Method"] == "Peak" {
      split($col["Mean"], m, " "); ms = m[1]; gsub(/"/, "", ms)
      unit = m[2]; f = (unit == "s") ? 1000 : (unit == "ms") ? 1 : (unit == "ns") ? 1e-6 : 0.001
      lanes = ($col["Job"] == "default") ? dl : ($col["Job"] == "AVX512=0") ? al : ($col["Job"] == "AVX=0") ? 4 : 1
      g[$col["Job"]] = 24e6 * lanes / (ms * f * 1e-3) / 1e9
    }
    END {
      d = g["default"]; w = g["AVX512=0"]; s = g["AVX=0"]; h = g["HWIntrinsic=0"]
      if (d == "" || w == "" || s == "" || h == "") exit
      printf "| fp32 peak, GFLOP/s (IsaPeakBenchmarks.Peak, mean) | %.1f | %.1f | %.1f | %.1f | %.1fx lower | %.1fx lower | %.1fx lower | %.1fx lower |\n", d, w, s, h, d / s, d / h, w / s, w / h
    }' <(sed -E ':a;s/("[^",]*),([^"]*")/\1\2/;ta' "$peak_csv")
fi
