#!/usr/bin/env bash
# Installs what callscript needs to build and test on Debian 12, skipping what is present.
# Usage: scripts/setup.sh [--bench]   (--bench adds the benchmark and comparison packages)
set -euo pipefail

# uuid-dev: the ANTLR runtime's CMake target links -luuid, but the package does not depend on it.
# python3-rfc3987: without it python3-jsonschema passes any string as a URI (the SARIF test).
# python3: tests/scale generates large scripts and measures callc compiling them.
packages=(g++ cmake make ninja-build pkg-config antlr4 libantlr4-runtime-dev uuid-dev libyaml-cpp-dev
          libicu-dev doctest-dev python3 python3-jsonschema python3-rfc3987)
if [[ ${1:-} == --bench ]]; then
  packages+=(libbenchmark-dev liblua5.4-dev graphviz)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  sudo=""; [[ $(id -u) == 0 ]] || sudo=sudo
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "setup: all packages present" >&2
fi
