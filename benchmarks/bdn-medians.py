#!/usr/bin/env python3
"""Medians (and minima) per benchmark from a BenchmarkDotNet console log.

BenchmarkDotNet's summary shows means, and adds a Median column only sometimes; on a shared machine one slow
iteration moves a short job's mean a lot. This reads the `// Benchmark:` headers and `WorkloadResult` lines of a saved
console log and prints each benchmark's median and minimum time per operation in milliseconds.
Usage: python3 benchmarks/bdn-medians.py LOG
"""
import re
import statistics
import sys

name = None
results = {}
with open(sys.argv[1], errors="replace") as log:
    for line in log:
        header = re.match(r"// Benchmark: (.*)", line)
        if header:
            name = header.group(1).strip()
            results[name] = []
            continue
        result = re.match(r"WorkloadResult\s+\d+: (\d+) op, ([\d.]+) ns", line)
        if result and name:
            results[name].append(float(result.group(2)) / int(result.group(1)) / 1e6)

for name, times in results.items():
    if times:
        print(f"{statistics.median(times):12.4f} ms median  {min(times):12.4f} ms min  n={len(times):3d}  {name}")
