#!/usr/bin/env bash
# The diffusers engine against the plain pipeline on a GPU, every case the engine's target names:
# FLUX.2 klein 4B shapes with random weights (no download), 1024x1024 and 512x512, 4 steps; one
# figure per call, with torch.compile, and four variants batched. Each table has its own plain row.
#
# Run, in an environment with minime[local] and a CUDA torch:  bash bench/gpu.sh [python]
set -euo pipefail
PY=${1:-python}
cd "$(dirname "$0")/.."
"$PY" -c 'import sys, torch; sys.exit(0 if torch.cuda.is_available() else "bench/gpu.sh needs a CUDA GPU")'
run() { echo "## $*"; "$PY" bench/engines.py --engines diffusers --random-weights --steps 4 --runs 5 "$@"; echo; }
run --size 1024
run --size 1024 --compile
run --size 1024 --variants 4
run --size 512
