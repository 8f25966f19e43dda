#!/usr/bin/env bash
# Lite-interpreter interop check: does PyTorch's lite interpreter (the runtime code inside the
# Android app's org.pytorch:pytorch_android_lite) compute what the PoreScope server model computes?
#
#   interop/run-lite-check.sh                      export a tiny model from Java and check it
#   interop/run-lite-check.sh MODEL.ptl [MODEL.pt] check an exported .ptl (and its server .pt)
#
# Needs /usr/bin/python3 with torch (Debian: apt-get install -y python3-torch, PyTorch 1.13).
# Exit 0 when every golden output matches within 1e-4.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PORESCOPE_PYTHON:-/usr/bin/python3}"
SCRIPT="$ROOT/porescope-torch/src/test/python/lite_check.py"

if ! "$PYTHON" -c 'import torch, torch.jit.mobile' 2>/dev/null; then
    echo "run-lite-check: $PYTHON cannot import torch; install it first: apt-get install -y python3-torch" >&2
    exit 1
fi

if [[ $# -ge 1 ]]; then
    args=("$1")
    [[ $# -ge 2 ]] && args+=(--server "$2")
    exec "$PYTHON" "$SCRIPT" "${args[@]}" --tolerance 1e-4
fi

OUT="$ROOT/porescope-torch/target/ptl-interop"
cd "$ROOT"
# shellcheck disable=SC2086
${MVN:-mvn -o} -q -pl porescope-torch -am test -Dtest=LiteInterpreterInteropTest ${PORESCOPE_INTEROP_SPEC:+-Dporescope.interop.spec=$PORESCOPE_INTEROP_SPEC} \
    -Dsurefire.failIfNoSpecifiedTests=false -Dporescope.interop.required=true -Dporescope.interop.dir="$OUT"
echo "run-lite-check: OK (files in $OUT)"
