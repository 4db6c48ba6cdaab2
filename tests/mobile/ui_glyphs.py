"""Pixel checks the Xvfb drivers share (imported as ``ui_glyphs``): is a glyph drawn in the
symbol font or as the CJK font's box? Compares ink masks of what a widget drew with the glyph
drawn alone in each font."""

__all__ = ["mask", "overlap", "glyph_alone", "label_glyph_check"]


def mask(pixels: bytes, width: int, height: int, ink) -> list[list[bool]]:
    """Rows of booleans (ink or not) cropped to the ink's bounding box."""
    rows = [[ink(pixels[(y * width + x) * 4:(y * width + x) * 4 + 4]) for x in range(width)] for y in range(height)]
    ys = [y for y, row in enumerate(rows) if any(row)]
    xs = [x for x in range(width) if any(row[x] for row in rows)]
    if not ys:
        return []
    return [row[xs[0]:xs[-1] + 1] for row in rows[ys[0]:ys[-1] + 1]]


def overlap(a: list[list[bool]], b: list[list[bool]]) -> float:
    """Intersection over union of two ink masks of (nearly) one size, either way up; 0 else."""
    best = 0.0
    for b2 in (b, b[::-1]):
        if not a or not b2 or abs(len(a) - len(b2)) > 2 or abs(len(a[0]) - len(b2[0])) > 2:
            continue
        h, w = min(len(a), len(b2)), min(len(a[0]), len(b2[0]))
        both = sum(a[y][x] and b2[y][x] for y in range(h) for x in range(w))
        either = sum(a[y][x] or b2[y][x] for y in range(h) for x in range(w))
        best = max(best, both / either if either else 0.0)
    return best


def glyph_alone(kw: dict, font: str, glyph: str) -> list[list[bool]]:
    """The ink of ``glyph`` drawn alone in ``font`` with the line options ``kw``."""
    from kivy.core.text import Label as CoreLabel

    label = CoreLabel(**{**kw, "font_name": font, "text": glyph, "color": (0, 0, 0, 1)})
    label.refresh()
    t = label.texture
    return mask(t.pixels, t.size[0], t.size[1], lambda p: p[3] > 128)


def label_glyph_check(widget, before: str, glyph: str, slack: int = 8) -> dict:
    """What the Label ``widget`` (one line, left-aligned) draws where ``glyph`` follows the text
    ``before``, from its own texture's ink, against ``glyph`` alone in the symbol font and in
    the CJK font (a box when the font lacks it). ``before`` is measured in the CJK font; the
    line's own layout may put the glyph a few pixels off, so columns within ``slack`` pixels
    are tried and the one whose ink matches either drawing best is kept."""
    from kivy.core.text import DEFAULT_FONT
    from kivy.core.text import Label as CoreLabel

    from mobile.fonts import SYMBOL_FONT

    kw = {"font_size": widget.font_size, "font_name": widget.font_name, "bold": widget.bold}
    left = int(CoreLabel(**kw).get_extents(before)[0])
    glyph_w = int(CoreLabel(**{**kw, "font_name": SYMBOL_FONT}).get_extents(glyph)[0])
    texture = widget.texture
    width, height = texture.size
    pixels = texture.pixels
    symbol, box = glyph_alone(kw, SYMBOL_FONT, glyph), glyph_alone(kw, DEFAULT_FONT, glyph)
    best = {"symbol_overlap": 0.0, "box_overlap": 0.0, "ink_rows": 0, "dx": 0}
    for dx in range(-slack, slack + 1):
        x0 = max(0, min(width - glyph_w - 2, left + dx))
        crop = bytearray()
        for y in range(height):
            crop += pixels[(y * width + x0) * 4:(y * width + x0 + glyph_w + 2) * 4]
        drawn = mask(bytes(crop), glyph_w + 2, height, lambda p: p[3] > 128)
        found = {"symbol_overlap": overlap(drawn, symbol), "box_overlap": overlap(drawn, box),
                 "ink_rows": len(drawn), "dx": dx}
        if max(found["symbol_overlap"], found["box_overlap"]) > max(best["symbol_overlap"], best["box_overlap"]):
            best = found
    return best
