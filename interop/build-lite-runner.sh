#!/usr/bin/env bash
# Builds interop/target/porescope-lite-runner, the child process through which `porescope compare`
# and `porescope demo` run a .ptl on PyTorch's lite interpreter (lite-runner/lite_runner.cpp).
#
#   interop/build-lite-runner.sh [OUT]      (default OUT: interop/target/porescope-lite-runner)
#
# Needs g++ and Debian's libtorch-dev (PyTorch 1.13: torch/csrc/jit/mobile/import.h). Does nothing
# when OUT is newer than the source; exit 1 with one line when the headers or the compiler are missing.
set -euo pipefail
HERE="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
SRC="$HERE/lite-runner/lite_runner.cpp"
OUT="${1:-$HERE/target/porescope-lite-runner}"
HEADER=/usr/include/torch/csrc/jit/mobile/import.h

if [[ -x "$OUT" && "$OUT" -nt "$SRC" && "$OUT" -nt "${BASH_SOURCE[0]}" ]]; then
    exit 0
fi
if [[ ! -f $HEADER ]]; then
    echo "build-lite-runner: $HEADER is missing; install it: apt-get install -y libtorch-dev" >&2
    exit 1
fi
command -v g++ >/dev/null || { echo "build-lite-runner: g++ is missing; install it: apt-get install -y g++" >&2; exit 1; }

# Debian's headers say 1.13.0 for its 1.13.1 package: take the version from the package when dpkg knows it
version="$(dpkg-query -W -f='${Version}' libtorch-dev 2>/dev/null | sed 's/[+~-].*//' || true)"
defines=()
[[ -n $version ]] && defines+=("-DPORESCOPE_TORCH_VERSION=\"$version\"")

mkdir -p "$(dirname "$OUT")"
tmp="$OUT.tmp.$$"
trap 'rm -f "$tmp"' EXIT
g++ -std=c++17 -O2 -w "${defines[@]}" -I/usr/include/torch/csrc/api/include "$SRC" -o "$tmp" \
    -ltorch -ltorch_cpu -lc10
mv -f "$tmp" "$OUT"
echo "build-lite-runner: built $OUT" >&2
