#!/usr/bin/env bash
# Rebuilds the package-validation baseline: L1Net 0.1.0 packed from the 0.1 release commit (ba30cc9) into
# eng/baseline-packages/, the local feed nuget.config names. The committed .nupkg is what CI restores; this script only
# shows (and redoes) how it was made. Run from anywhere: bash eng/build-baseline.sh
set -euo pipefail
cd "$(dirname "$0")/.."
release=ba30cc9
out="$PWD/eng/baseline-packages"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The 0.1 sources as committed (git archive: no worktree bookkeeping left behind).
git archive "$release" | tar -x -C "$work"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 CI=true
# A restore of the old sources must not see the baseline feed itself (the 0.1 nuget.config has no such source).
dotnet pack "$work/src/L1Net/L1Net.csproj" -c Release -o "$work/out" -p:ContinuousIntegrationBuild=true -p:IncludeSymbols=false
mkdir -p "$out"
cp "$work/out/L1Net.0.1.0.nupkg" "$out/"
echo "baseline: $out/L1Net.0.1.0.nupkg"
