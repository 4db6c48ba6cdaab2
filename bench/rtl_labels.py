"""What a right-to-left name costs a label (issue 14), one command:

    python bench/rtl_labels.py [--n 300]

Under Xvfb (started here if DISPLAY is unset), with the app's fonts and ``symbol_labels``
installed as the app does: a Kivy ``Label`` is given a text and draws it (``texture_update``),
``--n`` times per text, alternating two texts so each draw is a new one. Prints ms per drawn
label and the ratio to the baseline measured in the same run: a Chinese search row (Kivy's plain
renderer). The other rows: the same row with an emoji (the markup path every name in another
script took before), with a Hebrew and an Arabic name (ordered by ``bidi``, shaped per run by
``rtl_shaping``), as a markup row (查找客户), and an Arabic note wrapped over three lines.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r'''
import sys, time
from kivy.core.window import Window  # noqa: F401 - the GL context the textures need
from mobile.fonts import readable, register_cjk_font, register_symbol_font
register_cjk_font()
register_symbol_font()
from mobile import symbol_labels
symbol_labels.install()
from kivy.uix.label import Label

n = int(sys.argv[1])
TAIL = "\u3000+86 *******5678\u3000归属：陈杰"
NOTE = "هذا العميل يريد شقة بثلاث غرف قرب المدرسة، ويفضل الطابق الثالث"
ROWS = [
    ("Chinese row (baseline)", "张伟" + TAIL, False, None),
    ("Chinese row with an emoji", "张伟🙂" + TAIL, False, None),
    ("Hebrew name row", "\u2068דוד כהן\u2069" + TAIL, False, None),
    ("Arabic name row", "\u2068محمد علي\u2069" + TAIL, False, None),
    ("Arabic name row, markup (查找客户)", readable("\u2068محمد علي\u2069" + TAIL), True, None),
    ("Arabic note wrapped (260 px, 3 lines)", NOTE, False, 260),
]


def per_label(text, markup, width):
    label = Label(text="x", markup=markup, font_size=20)
    if width:
        label.text_size = (width, None)
    texts = [text, text + " "]
    label.text = texts[1]
    label.texture_update()  # fonts opened, caches warm
    start = time.perf_counter()
    for i in range(n):
        label.text = texts[i % 2]
        label.texture_update()
    return (time.perf_counter() - start) / n * 1000


results = [(name, per_label(text, markup, width)) for name, text, markup, width in ROWS]
base = results[0][1]
print(f"{'label':40} {'ms/draw':>8} {'ratio':>6}")
for name, ms in results:
    print(f"{name:40} {ms:8.3f} {ms / base:6.2f}")
'''


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300)
    n = parser.parse_args().n
    tmp = Path(tempfile.mkdtemp(prefix="fieldsync-bench-"))
    env = {**os.environ, "KIVY_NO_ARGS": "1", "KIVY_HOME": str(tmp / "kivy"), "KIVY_NO_CONSOLELOG": "1",
           "PYTHONPATH": str(ROOT)}
    xvfb = None
    if not env.get("DISPLAY"):
        number = next(k for k in range(90, 100) if not Path(f"/tmp/.X11-unix/X{k}").exists()
                      and not Path(f"/tmp/.X{k}-lock").exists())
        xvfb = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        env["DISPLAY"] = f":{number}"
        time.sleep(1)
    try:
        script = tmp / "rtl_labels_child.py"
        script.write_text(CHILD, encoding="utf-8")
        print(f"load average before: {os.getloadavg()[0]:.2f}")
        done = subprocess.run([sys.executable, str(script), str(n)], env=env, cwd=ROOT, timeout=600,
                              capture_output=True, text=True)
        print(done.stdout, end="")
        if done.returncode:
            print(done.stderr[-3000:], file=sys.stderr)
        print(f"load average after: {os.getloadavg()[0]:.2f}")
        return done.returncode
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait()


if __name__ == "__main__":
    sys.exit(main())
