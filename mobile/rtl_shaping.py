"""Runs shaped by the text renderer (issue 14): what ``symbol_labels``' core labels do with a
right-to-left run ``mobile.bidi`` put in display order, or a Devanagari or Thai one.

Kivy 2.3's SDL2 text provider passes a label's ``font_direction`` and ``font_script_name`` to
SDL2_ttf, which shapes with HarfBuzz (the Kivy wheels' SDL2_ttf 2.22 and python-for-android's
``sdl2_ttf`` recipe, 2.22.0 built from its release with the bundled HarfBuzz, both have it):
Arabic letters joined, lam-alef ligatures, marks placed, the run laid out right to left;
Devanagari conjuncts and reph. Kivy takes both per label; a markup line mixes runs, so here
they are set per run (``run_shaping``): a run holding a right-to-left letter is measured and
drawn with direction ``rtl`` and its script, a Devanagari or Thai run with ``ltr`` and its
script, every other run as the label says.

SDL2_ttf keeps direction and script on the font object, which Kivy shares between labels of a
font and size, and Kivy sets them only when it draws (not when it measures): a run is measured
after its direction is put on the font, and the font is put back as the label had it after
each run, so a plain label measured next is measured as before.

``shaping()`` tells whether the renderer shapes (HarfBuzz present); when it does not, runs are
reversed in ``bidi`` instead (Hebrew reads right; Arabic in order, unjoined).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .bidi import rtl_script

__all__ = ["shaping", "with_run_direction", "renderer_is_sdl2", "run_shaping", "reorder_lines"]

# left-to-right scripts whose letters HarfBuzz must know the script of to combine: Devanagari
# conjuncts and the reph (शर्मा drew its virama), Thai marks
_LTR_SCRIPTS = [(re.compile("[\u0900-\u097f\ua8e0-\ua8ff\u1cd0-\u1cff]"), "Deva"),
                (re.compile("[\u0e00-\u0e7f]"), "Thai")]

_shaping: list[bool | None] = [None]
_surface: list[Any] = []
_PROBE = "\u0628\u0628\u0628\u0628"  # بببب: joined it is narrower than four isolated beh


def renderer_is_sdl2(core: Any) -> bool:
    """True when the core label ``core`` draws through Kivy's SDL2 text provider."""
    return any(cls.__name__ == "LabelSDL2" for cls in type(core).__mro__)


def _put_on_font(core: Any) -> None:
    """Put the direction and script of ``core.options`` on its SDL2_ttf font (Kivy does so only
    when drawing: an empty text is drawn, which sets them and draws nothing)."""
    if not _surface:
        from kivy.core.text._text_sdl2 import _SurfaceContainer

        _surface.append(_SurfaceContainer(1, 1))  # one, kept: nothing is ever drawn on it
    _surface[0].render(core, "", 0, 0)


def run_shaping(text: str) -> tuple[str, str] | None:
    """``(direction, ISO 15924 script)`` a run is shaped with: ``("rtl", "Arab")`` for a run
    holding an Arabic-script letter, ``("rtl", "Hebr")`` Hebrew, ``("ltr", "Deva")``
    Devanagari, ``("ltr", "Thai")`` Thai; None for any other (drawn as its label says)."""
    script = rtl_script(text)
    if script is not None:
        return "rtl", script
    return next((("ltr", name) for pattern, name in _LTR_SCRIPTS if pattern.search(text)), None)


def with_run_direction(core: Any, text: str, call: Callable[[], Any]) -> Any:
    """``call()`` (measure or draw ``text``, one run, with ``core``) with the run's direction
    and script (``run_shaping``) when it has them and the renderer shapes; the font put back as
    ``core``'s label has it afterwards. Any other run: ``call()`` alone."""
    shaped = run_shaping(text)
    if shaped is None or not renderer_is_sdl2(core) or not shaping(core):
        return call()
    options = core.options
    saved = options.get("font_direction", "ltr"), options.get("font_script_name", "Latn")
    options["font_direction"], options["font_script_name"] = shaped
    try:
        _put_on_font(core)
        return call()
    finally:
        direction, name = saved
        options["font_direction"] = direction
        # Kivy's core label default 'Latin' is no script tag: SDL2_ttf would keep ours
        options["font_script_name"] = name if isinstance(name, str) and len(name) == 4 else "Zyyy"
        _put_on_font(core)
        options["font_script_name"] = name


def shaping(core: Any | None = None) -> bool:
    """True when the SDL2 text renderer shapes right-to-left text (SDL2_ttf built with
    HarfBuzz): four beh measured with direction rtl and script Arab are narrower than four
    isolated ones. Measured once, in the Arabic font ``fonts.SCRIPT_FONTS`` registered; True
    (assumed) while there is none (Hebrew then needs direction only; Arabic is drawn ◇)."""
    if _shaping[0] is not None:
        return _shaping[0]
    from kivy.core.text import Label as CoreLabel

    from .fonts import registered_script_fonts

    if "FieldsyncArabic" not in registered_script_fonts():
        return True
    size = core.options.get("font_size", 20) if core is not None else 20
    probe = CoreLabel(font_name="FieldsyncArabic", font_size=size, text=_PROBE)
    if not renderer_is_sdl2(probe):
        _shaping[0] = False
        return False
    plain = probe.get_extents(_PROBE)[0]
    probe.options["font_direction"], probe.options["font_script_name"] = "rtl", "Arab"
    _put_on_font(probe)
    joined = probe.get_extents(_PROBE)[0]
    probe.options["font_direction"], probe.options["font_script_name"] = "ltr", "Zyyy"
    _put_on_font(probe)
    shapes = joined < plain
    _shaping[0] = shapes
    return shapes


def reorder_lines(core: Any) -> int:
    """Put each laid-out line of the markup core label ``core`` (after Kivy's first pass, which
    wraps the text in typed order) in display order: levels resolved over each paragraph of
    the label's text (``bidi.paragraph_levels``), then each line cut into ``bidi.pieces`` by
    those levels and its words, right-to-left ones as ``bidi.display_runs``, each measured as
    it is drawn. So a wrapped right-to-left paragraph keeps its lines in reading order (UAX #9:
    lines are broken on the typed text, then each is reordered). How many pixels the widest
    line grew (0 mostly)."""
    from kivy.core.text.text_layout import LayoutWord

    from .bidi import display_runs, has_rtl, markup_text, paragraph_levels, pieces

    text = markup_text(core.label)
    all_levels = paragraph_levels(text)
    shapes = shaping(core)
    grow, at = 0, 0
    saved = core.options
    try:
        for line in core._cached_lines:
            words = line.words
            line_text = "".join(word.text for word in words)
            # where each word is in the label's text (Kivy drops zero-width words, such as an
            # isolate's marks, and spaces where it wraps): its characters' paragraph levels
            line_levels: list[int] = []
            for word in words:
                found = text.find(word.text, at)
                if found < 0:
                    line_levels = []
                    break
                line_levels += all_levels[found:found + len(word.text)]
                at = found + len(word.text)
            if not has_rtl(line_text):
                continue
            owner = [i for i, word in enumerate(words) for _ in word.text]
            ordered = []
            for piece, rtl, index in pieces(line_text, owner, line_levels=line_levels or None):
                word = words[index]
                runs = display_runs(piece, rtl, shapes)  # (the isolates' marks dropped)
                if runs == [word.text]:
                    ordered.append(word)
                    continue
                for run in runs:
                    core.options = word.options
                    ordered.append(LayoutWord(word.options, core.get_extents(run)[0], word.lh, run))
            width = sum(word.lw for word in ordered)
            grow = max(grow, width - line.w)
            line.w, line.words = width, ordered
    finally:
        core.options = saved
    return max(grow, 0)
