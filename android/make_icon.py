"""Draws ``android/icon.png`` (512 × 512 px RGBA): 登 (register) in white on the app's teal,
a rounded square. Run once with Pillow installed (it is not a project dependency):
``python android/make_icon.py``; the PNG is checked in."""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SIZE = 512
TEAL = (31, 111, 120, 255)
FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"  # Debian fonts-wqy-microhei


def draw(path: Path) -> None:
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    canvas = ImageDraw.Draw(image)
    canvas.rounded_rectangle((16, 16, SIZE - 16, SIZE - 16), radius=96, fill=TEAL)
    font = ImageFont.truetype(FONT, 300)
    canvas.text((SIZE / 2, SIZE / 2 - 20), "登", font=font, fill="white", anchor="mm")
    small = ImageFont.truetype(FONT, 56)
    canvas.text((SIZE / 2, SIZE - 88), "fieldsync", font=small, fill=(220, 240, 240, 255), anchor="mm")
    image.save(path, optimize=True)


if __name__ == "__main__":
    draw(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("icon.png"))
