#!/usr/bin/env bash
# Builds and signs the sample app without Gradle or the Android SDK:
#
#   android-sample/build-apk.sh OUT.apk
#
# Tools: Debian's aapt (aapt2), android-framework-res (framework-res.apk, API 29, the resource table
# aapt2 links against), zipalign and apksigner; JDK 17 (javac, keytool); Maven for the library jars and
# D8 (com.android.tools:r8 on Maven Central), the Java 17 -> dex compiler that also desugars records.
# The APK carries the PyTorch Mobile lite runtime (the .so files of org.pytorch:pytorch_android_lite)
# and the assets in app/src/main/assets; ONNX Runtime's Android AAR is not on Maven Central, so the
# app's ONNX path (porescope-ort's classes are dexed) has no native runtime in this APK (the app loads
# porescope-default.ptl first).
#
# Settings (environment): MIN_SDK (default 26), ABIS (default "arm64-v8a armeabi-v7a x86_64"),
# KEYSTORE (default: a debug key made on the fly in the work folder), MVN (default "mvn -q").
set -euo pipefail
[[ $# -eq 1 ]] || { echo "usage: android-sample/build-apk.sh OUT.apk" >&2; exit 2; }
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
mkdir -p "$(dirname -- "$1")"   # readlink -f fails (silently, under set -e) when the folder does not exist yet
OUT="$(readlink -f "$1")"
MIN_SDK="${MIN_SDK:-26}"
TARGET_SDK=34
ABIS="${ABIS:-arm64-v8a armeabi-v7a x86_64}"
R8_VERSION=8.13.25
LITE_VERSION=1.12.2
FRAMEWORK_RES=/usr/share/android-framework-res/framework-res.apk
read -r -a MVN <<<"${MVN:-mvn -q}"
APP="$ROOT/android-sample/app/src/main"
WORK="$ROOT/android-sample/build/apk"

die() { echo "build-apk: $*" >&2; exit 1; }
for tool in aapt2 zipalign apksigner javac keytool zip unzip; do
    command -v "$tool" >/dev/null || die "$tool is missing; install it: apt-get install -y aapt zipalign apksigner openjdk-17-jdk-headless zip unzip"
done
[[ -f $FRAMEWORK_RES ]] || die "$FRAMEWORK_RES is missing; install it: apt-get install -y android-framework-res"

rm -rf "$WORK"
mkdir -p "$WORK"/{deps,classes,dex,apk,filtered}

echo "build-apk: library jars (porescope-android, porescope-core, porescope-ort) and their runtime dependencies" >&2
(cd "$ROOT" && "${MVN[@]}" -Dmaven.test.skip=true -pl porescope-android -am package)
cp "$ROOT"/porescope-core/target/porescope-core-*[0-9T].jar "$ROOT"/porescope-ort/target/porescope-ort-*[0-9T].jar \
    "$ROOT"/porescope-android/target/porescope-android-*[0-9T].jar "$WORK/deps/"

echo "build-apk: D8 $R8_VERSION, pytorch_android_lite $LITE_VERSION and the Android API from Maven Central" >&2
get() { (cd "$ROOT" && "${MVN[@]}" dependency:copy -Dartifact="$1" -DoutputDirectory="$2" -Dmdep.stripVersion=true); }
get "com.android.tools:r8:$R8_VERSION" "$WORK"
get "org.pytorch:pytorch_android_lite:$LITE_VERSION:aar" "$WORK"
# what an app's Gradle build would take with porescope-android: core's Jackson (the runtime scope of
# both poms), and pytorch_android_lite's Java dependencies
JACKSON="$(sed -n 's|.*<jackson.version>\(.*\)</jackson.version>.*|\1|p' "$ROOT/pom.xml")"
for a in jackson-databind jackson-core jackson-annotations; do
    get "com.fasterxml.jackson.core:$a:$JACKSON" "$WORK/deps"
done
get "com.facebook.fbjni:fbjni-java-only:0.2.2" "$WORK/deps"
get "com.facebook.soloader:nativeloader:0.10.1" "$WORK/deps"
get "org.robolectric:android-all:14-robolectric-10818077" "$WORK"
ANDROID_JAR="$WORK/android-all.jar"
unzip -q -o "$WORK/pytorch_android_lite.aar" classes.jar -d "$WORK/lite"
cp "$WORK/lite/classes.jar" "$WORK/deps/pytorch_android_lite-classes.jar"

echo "build-apk: compiling the sample's Java" >&2
mapfile -t sources < <(find "$APP/java" -name '*.java')
CP="$(printf '%s:' "$WORK"/deps/*.jar)"
javac -nowarn --release 17 -encoding UTF-8 -cp "$ANDROID_JAR:$CP" -d "$WORK/classes" "${sources[@]}"

echo "build-apk: resources and manifest (aapt2, against framework-res API 29)" >&2
sed 's|<manifest |<manifest package="dev.porescope.sample" |' "$APP/AndroidManifest.xml" > "$WORK/AndroidManifest.xml"
aapt2 link -o "$WORK/base.apk" --manifest "$WORK/AndroidManifest.xml" -I "$FRAMEWORK_RES" -A "$APP/assets" \
    --min-sdk-version "$MIN_SDK" --target-sdk-version "$TARGET_SDK" --version-code 1 --version-name 0.1.0

echo "build-apk: dexing with D8 (min API $MIN_SDK; records and Java 9+ library calls desugared)" >&2
# D8 reads class files only: drop multi-release copies and module-info from the jars
for jar in "$WORK"/deps/*.jar; do
    name="$(basename "$jar")"
    cp "$jar" "$WORK/filtered/$name"
    zip -q -d "$WORK/filtered/$name" 'META-INF/*' >/dev/null 2>&1 || true
done
(cd "$WORK/classes" && zip -q -r "$WORK/filtered/sample.jar" .)
JDK_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
java -cp "$WORK/r8.jar" com.android.tools.r8.D8 --release --min-api "$MIN_SDK" --lib "$ANDROID_JAR" --lib "$JDK_HOME" \
    --output "$WORK/dex" "$WORK"/filtered/*.jar 2> "$WORK/d8.log" || { cat "$WORK/d8.log" >&2; die "D8 failed"; }

echo "build-apk: packing dex, native libraries ($ABIS), aligning and signing" >&2
cp "$WORK/base.apk" "$WORK/unsigned.apk"
(cd "$WORK/dex" && zip -q "$WORK/unsigned.apk" ./*.dex)
mkdir -p "$WORK/apk/lib"
for abi in $ABIS; do
    unzip -q -o "$WORK/pytorch_android_lite.aar" "jni/$abi/*" -d "$WORK/jni" || die "pytorch_android_lite has no $abi libraries"
    mkdir -p "$WORK/apk/lib/$abi"
    cp "$WORK/jni/jni/$abi/"*.so "$WORK/apk/lib/$abi/"
done
(cd "$WORK/apk" && zip -q -r "$WORK/unsigned.apk" lib)   # compressed: the manifest keeps extractNativeLibs at its default (true)
zipalign -p -f 4 "$WORK/unsigned.apk" "$WORK/aligned.apk"
KEYSTORE="${KEYSTORE:-$WORK/debug.keystore}"
if [[ ! -f $KEYSTORE ]]; then
    keytool -genkeypair -keystore "$KEYSTORE" -storepass android -keypass android -alias androiddebugkey \
        -keyalg RSA -keysize 2048 -validity 10000 -dname "CN=PoreScope Debug,O=PoreScope,C=US" >/dev/null 2>&1
fi
tmp="$OUT.tmp.$$"
trap 'rm -f "$tmp"' EXIT
apksigner sign --ks "$KEYSTORE" --ks-pass pass:android --key-pass pass:android --ks-key-alias androiddebugkey \
    --min-sdk-version "$MIN_SDK" --out "$tmp" "$WORK/aligned.apk"
rm -f "$tmp.idsig"
mv -f "$tmp" "$OUT"
echo "build-apk: wrote $OUT ($(du -h "$OUT" | cut -f1)); D8 warnings in $WORK/d8.log" >&2
