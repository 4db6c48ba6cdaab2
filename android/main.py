"""The APK's entry point (python-for-android runs ``main.py`` from the app's private folder).

``android/build-apk.sh`` copies this file, ``mobile/`` and ``shared/`` into the staging folder
that buildozer packages. It makes the bundled Simplified Chinese font Kivy's default (Android's
own ``NotoSansCJK-Regular.ttc`` opens on its Japanese face), keeps the store in the app's
private storage, and starts the tablet app as ``fieldsync-app`` does on a desktop."""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FONT = HERE / "mobile" / "fonts" / "wqy-microhei.ttc"


def configure() -> None:
    """Set ``FIELDSYNC_CJK_FONT`` (the bundled font, when staged) and ``FIELDSYNC_DATA``
    (``$ANDROID_PRIVATE/fieldsync``, python-for-android's private app folder; beside this file
    elsewhere) unless already set."""
    if FONT.exists():
        os.environ.setdefault("FIELDSYNC_CJK_FONT", str(FONT))
    private = os.environ.get("ANDROID_PRIVATE") or str(HERE)
    os.environ.setdefault("FIELDSYNC_DATA", str(Path(private) / "fieldsync"))


def main() -> int:
    configure()
    from mobile.main import main as fieldsync_app

    return fieldsync_app([])


if __name__ == "__main__":
    sys.exit(main())
