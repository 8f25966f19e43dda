#!/usr/bin/env bash
# Desugared core, tested: runs porescope-core (and Jackson) as D8 leaves them for a phone of MIN_SDK
# (records turned into RecordTag subclasses, Java 9+ library calls backported), as class files on the
# JVM, and checks it reads the model card in MODEL.ptl and analyses a photo with exactly the output
# of the undesugared core (desugar/DesugarProbe.java).
#
#   android-sample/desugar-check.sh [MODEL.ptl]   (default: app/src/main/assets/porescope-default.ptl)
#
# Uses the jars and D8 that android-sample/build-apk.sh fetched (run it first). MIN_SDK as there (26).
set -euo pipefail
HERE="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
MODEL="$(readlink -f "${1:-$HERE/app/src/main/assets/porescope-default.ptl}")"
MIN_SDK="${MIN_SDK:-26}"
WORK="$HERE/build/apk"
CHECK="$HERE/build/desugar"
[[ -f $WORK/r8.jar && -d $WORK/deps ]] || { echo "desugar-check: run android-sample/build-apk.sh first (it fetches D8 and the jars)" >&2; exit 1; }

rm -rf "$CHECK"
mkdir -p "$CHECK"/{probe,desugared}
jars=()
for jar in "$WORK"/deps/porescope-core-*.jar "$WORK"/deps/jackson-*.jar; do jars+=("$jar"); done
CP="$(IFS=:; echo "${jars[*]}")"
javac -nowarn --release 17 -cp "$CP" -d "$CHECK/probe" "$HERE/desugar/DesugarProbe.java"
(cd "$CHECK/probe" && zip -q -r "$CHECK/probe.jar" .)

# D8 in classfile mode: the same desugaring as for the APK, written back as JVM class files
filtered=()
for jar in "${jars[@]}"; do
    cp "$jar" "$CHECK/$(basename "$jar")"
    zip -q -d "$CHECK/$(basename "$jar")" 'META-INF/*' >/dev/null 2>&1 || true
    filtered+=("$CHECK/$(basename "$jar")")
done
JDK_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
java -cp "$WORK/r8.jar" com.android.tools.r8.D8 --classfile --release --min-api "$MIN_SDK" \
    --lib "$WORK/android-all.jar" --lib "$JDK_HOME" --output "$CHECK/desugared" \
    "${filtered[@]}" "$CHECK/probe.jar" 2> "$CHECK/d8.log" || { cat "$CHECK/d8.log" >&2; exit 1; }

java -cp "$CP:$CHECK/probe" DesugarProbe "$MODEL" > "$CHECK/plain.txt" 2> "$CHECK/plain.err"
java -cp "$CHECK/desugared" DesugarProbe "$MODEL" > "$CHECK/desugared.txt" 2> "$CHECK/desugared.err"
grep -q 'RecordTag' "$CHECK/desugared.err" \
    || { echo "desugar-check: D8 did not desugar core's records ($(cat "$CHECK/desugared.err"))" >&2; exit 1; }
if ! cmp -s "$CHECK/plain.txt" "$CHECK/desugared.txt"; then
    diff "$CHECK/plain.txt" "$CHECK/desugared.txt" | head -20 >&2
    echo "desugar-check: FAILED: desugared core (min API $MIN_SDK) differs from core (files in $CHECK)" >&2
    exit 1
fi
grep -q '"format" : "porescope-model/' "$CHECK/plain.txt" || { echo "desugar-check: the probe printed no card" >&2; exit 1; }
echo "desugar-check: OK: core desugared by D8 for min API $MIN_SDK ($(head -c 300 "$CHECK/desugared.err" | tr '\n' ' ')) read the card of $(basename "$MODEL") and analysed a photo identically ($(grep -c . "$CHECK/plain.txt") lines, $(grep '^mask' "$CHECK/plain.txt"))"
