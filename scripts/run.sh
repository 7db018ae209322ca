#!/usr/bin/env bash
# The main job: set up, build, then check, compile and simulate the bundled examples.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -G Ninja -DCALLSCRIPT_TESTS=OFF >/dev/null
cmake --build build --target callc
echo "== callc check examples/*.call"
build/callc check examples/*.call
echo "== callc lint examples"
build/callc lint examples
for script in examples/*.call; do
  name=$(basename "$script" .call)
  echo "== callc build $script"
  build/callc build "$script" -o "build/$name.callbc"
  # A Monday inside the example calendar (2025), so that business-time SLAs can be placed.
  if [[ -f examples/$name.events ]]; then
    echo "== callc run --start 2025-03-03T09:00+08:00 --events examples/$name.events build/$name.callbc"
    build/callc run --start 2025-03-03T09:00+08:00 --events "examples/$name.events" "build/$name.callbc"
  fi
done
echo "== callc test examples/transcripts"
build/callc test examples/transcripts
