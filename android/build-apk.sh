#!/usr/bin/env bash
# Builds the tablet app's APK: stages what the device needs in build/android/app, then runs
# buildozer with android/buildozer.spec. Usage: bash android/build-apk.sh [buildozer args]
# (default `android debug`; `android release` for a release build). The APK lands in
# android/bin/. `--stage-only` stages and stops (tests/test_android_dependencies.py runs it). Needs buildozer (pip install buildozer==1.6.0), a JDK 17, and the Android SDK
# and NDK, which buildozer downloads on first run (accept the SDK licence when asked).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
stage="$root/build/android/app"
font="${FIELDSYNC_APK_FONT:-/usr/share/fonts/truetype/wqy/wqy-microhei.ttc}"

if [ ! -f "$font" ]; then
  echo "build-apk: the CJK font $font is missing: apt-get install fonts-wqy-microhei" >&2
  exit 1
fi
rm -rf "$stage"
mkdir -p "$stage"
cp -r "$root/mobile" "$root/shared" "$stage/"
cp "$root/android/main.py" "$stage/main.py"
# WenQuanYi Micro Hei (Apache-2.0): Simplified Chinese glyphs on every tablet, whatever its ROM ships.
cp "$font" "$stage/mobile/fonts/wqy-microhei.ttc"
cp "$root/android/FONT-LICENSE.txt" "$stage/mobile/fonts/wqy-microhei-LICENSE.txt"
find "$stage" -name __pycache__ -prune -exec rm -rf {} +
if [ "${1:-}" = "--stage-only" ]; then
  echo "build-apk: staged in $stage"
  exit 0
fi

cd "$root/android"
if [ "$#" -eq 0 ]; then set -- android debug; fi
exec buildozer "$@"
