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
# Names in other scripts and emoji (mobile/fonts.py SCRIPT_FONTS, SYMBOL_CANDIDATES): Noto Sans
# Hebrew, Arabic, Thai, Devanagari (OFL-1.1, Debian fonts-noto-core) and Symbola (free for any
# use, Debian fonts-symbola): every tablet draws them, whatever its ROM ships.
noto="${FIELDSYNC_APK_NOTO:-/usr/share/fonts/truetype/noto}"
symbola="${FIELDSYNC_APK_SYMBOLS:-/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf}"
for script in Hebrew Arabic Thai Devanagari; do
  if [ ! -f "$noto/NotoSans$script-Regular.ttf" ]; then
    echo "build-apk: $noto/NotoSans$script-Regular.ttf is missing: apt-get install fonts-noto-core" >&2
    exit 1
  fi
  cp "$noto/NotoSans$script-Regular.ttf" "$stage/mobile/fonts/"
done
cp "$root/android/NOTO-LICENSE.txt" "$stage/mobile/fonts/Noto-LICENSE.txt"
if [ ! -f "$symbola" ]; then
  echo "build-apk: the symbol font $symbola is missing: apt-get install fonts-symbola" >&2
  exit 1
fi
cp "$symbola" "$stage/mobile/fonts/Symbola_hint.ttf"
# Rare Chinese characters in names (生僻字: CJK extensions A-F, mobile/fonts.py FieldsyncHanA/B):
# HanaMin A and B (the Hanazono Font License or OFL-1.1, Debian fonts-hanazono), 53 MB together — the largest part of the
# APK. FIELDSYNC_APK_RARE_HAN=0 leaves them out (such characters then draw as boxes).
hanazono="${FIELDSYNC_APK_HANAZONO:-/usr/share/fonts/truetype/hanazono}"
if [ "${FIELDSYNC_APK_RARE_HAN:-1}" != "0" ]; then
  for part in A B; do
    if [ ! -f "$hanazono/HanaMin$part.ttf" ]; then
      echo "build-apk: $hanazono/HanaMin$part.ttf is missing: apt-get install fonts-hanazono (or FIELDSYNC_APK_RARE_HAN=0)" >&2
      exit 1
    fi
    cp "$hanazono/HanaMin$part.ttf" "$stage/mobile/fonts/"
  done
  cp /usr/share/doc/fonts-hanazono/copyright "$stage/mobile/fonts/HanaMin-LICENSE.txt" 2>/dev/null \
    || echo "HanaMin fonts: the Hanazono Font License or the SIL Open Font License 1.1 (GlyphWiki, https://glyphwiki.org/)" > "$stage/mobile/fonts/HanaMin-LICENSE.txt"
fi
find "$stage" -name __pycache__ -prune -exec rm -rf {} +
if [ "${1:-}" = "--stage-only" ]; then
  echo "build-apk: staged in $stage"
  exit 0
fi

cd "$root/android"
if [ "$#" -eq 0 ]; then set -- android debug; fi
exec buildozer "$@"
