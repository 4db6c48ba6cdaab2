"""Every Label draws pictographs in the symbol font (issue 14 F4), whoever made its text.

Kivy's SDL2 text renderer has no per-glyph fallback: a pictograph the CJK font lacks is drawn
as a box. ``fonts.readable`` fixes one label at a time (markup in the symbol font), and one
label forgotten is one box: the save confirmation drew "小明▯▯" while the name field and
今日来访 drew 小明🙂😀. ``install`` makes the fallback a property of Kivy's ``Label`` itself, so
every label, button, list row, spinner row, popup title and banner, in a ``.kv`` rule or made
in Python, draws a name the way the name field does:

- a plain label (``markup: False``) whose text holds a pictograph is rendered by a markup core
  label fed ``readable(text)`` (the rest escaped, so a ``[`` a person typed stays a ``[``); one
  without a pictograph keeps Kivy's plain renderer (nothing changes for it);
- a markup label wraps every pictograph run of its markup in ``[font=<symbol font>]``, so
  markup made from a template around a name needs no ``readable`` either.

A tablet without a symbol font draws ``fonts.REPLACEMENT`` (◇) for a pictograph in a plain label,
never a box. TextInputs have no markup: ``widgets.FormInput`` draws their lines itself.

The same core labels draw right-to-left names right (issue 14: محمد علي was isolated letters,
left to right): once Kivy has laid a text holding a right-to-left letter out in lines, each
line is put in display order (``rtl_shaping.reorder_lines``: the Unicode Bidirectional
Algorithm, ``bidi``), and each run is measured and drawn with its own direction and script
(``rtl_shaping.with_run_direction``: SDL2_ttf's HarfBuzz joins Arabic, lays Hebrew and Arabic
right to left, makes Devanagari conjuncts). A text without one is drawn as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .bidi import has_rtl
from .fonts import REPLACEMENT, SCRIPT_FONTS, SYMBOL_FONT, has_symbols, readable, wrap_symbols
from .rtl_shaping import reorder_lines, with_run_direction

__all__ = ["install", "installed", "renders_symbols"]

_installed = [False]
# a run drawn in the symbol font or a script's (``fonts.SCRIPT_FONTS``)
_WRAPPED = re.compile(r"\[font=(?:" + "|".join([SYMBOL_FONT] + [name for name, _, _ in SCRIPT_FONTS]) + r")\].*?\[/font\]",
                      re.S)


def installed() -> bool:
    """True once ``install`` has run in this process."""
    return _installed[0]


def renders_symbols(label: Any) -> bool:
    """True when the Kivy ``Label`` ``label`` draws every pictograph of its text through the
    fallback (in the symbol font, or the replacement), or has none to draw: read from what its
    core label is about to render, not from its class alone."""
    if not has_symbols(label.text):
        return True
    core = getattr(label, "_label", None)
    if core is None or not getattr(core.__class__, "draws_symbols", False):
        return False
    return not has_symbols(_WRAPPED.sub("", core.text).replace(REPLACEMENT, ""))


def install() -> None:
    """Make every ``kivy.uix.label.Label`` (and so every Button, ToggleButton, SpinnerOption,
    popup title…) draw pictographs in the symbol font. Idempotent; call after the fonts are
    registered (``fonts.register_symbol_font``) and before widgets are built."""
    if _installed[0]:
        return
    from kivy.core.text.markup import MarkupLabel
    from kivy.uix import label as uix_label

    plain_core = uix_label.CoreLabel

    def symbol_core(name: str, rewrite: Callable[[str], str], doc: str) -> type:
        """A markup core label that stores every text through ``rewrite`` (Kivy's constructor
        stores the text as given, past the setter: it is set again)."""

        def __init__(self, text: str = "", **kwargs: Any) -> None:
            MarkupLabel.__init__(self, text=text, **kwargs)
            self._set_text(text)

        def _set_text(self, text: str) -> None:
            MarkupLabel._set_text(self, rewrite(text))

        def get_extents(self, text: str) -> Any:
            return with_run_direction(self, text, lambda: MarkupLabel.get_extents(self, text))

        def _render_text(self, text: str, x: Any, y: Any) -> None:
            with_run_direction(self, text, lambda: MarkupLabel._render_text(self, text, x, y))

        def render(self, real: bool = False) -> Any:
            # Kivy's first pass lays the text out in typed order; right-to-left lines are then
            # put in display order, line by line (``rtl_shaping.reorder_lines``)
            size = MarkupLabel.render(self, real)
            if real or not has_rtl(self.label):
                return size
            try:
                grow = reorder_lines(self)
            except Exception:  # noqa: BLE001 - a name drawn in typed order beats a desk that stops
                from kivy.logger import Logger

                Logger.exception("Label: right-to-left reordering failed; drawn in typed order")
                return MarkupLabel.render(self, real)
            return (size[0] + grow, size[1]) if grow and not self.text_size[0] else size

        text = property(MarkupLabel._get_text, _set_text)
        return type(name, (MarkupLabel,), {"__doc__": doc, "draws_symbols": True, "__init__": __init__,
                                           "_set_text": _set_text, "text": text, "label": text,
                                           "get_extents": get_extents, "_render_text": _render_text,
                                           "render": render})

    SymbolMarkupLabel = symbol_core("SymbolMarkupLabel", wrap_symbols,
                                    "Markup whose bare pictograph runs are put in the symbol font.")
    SymbolTextLabel = symbol_core("SymbolTextLabel", readable, "Plain text holding pictographs, drawn as ``readable`` markup.")

    def core_class(widget: Any, text: str | None = None) -> type:
        if widget.markup:
            return SymbolMarkupLabel
        return SymbolTextLabel if has_symbols(widget.text if text is None else text) else plain_core

    def _create_label(self, text: str | None = None) -> None:
        # Kivy's own ``Label._create_label``, choosing among the three core labels
        cls = core_class(self, text)
        if self._label is not None and self._label.__class__ is cls:
            return
        dkw = {x: getattr(self, x) for x in self._font_properties}
        if text is not None:
            dkw["text"] = text
        dkw["usersize"] = self.text_size
        if self.disabled:
            dkw["color"] = self.disabled_color
            dkw["outline_color"] = self.disabled_outline_color
        self._label = cls(**dkw)

    original_update = uix_label.Label._trigger_texture_update

    def _trigger_texture_update(self, name=None, source=None, value=None):
        if name == "text" and source:
            _create_label(self, value)  # a name with an emoji arrived (or left): switch renderer
        return original_update(self, name, source, value)

    # ``texture_update`` tells markup from plain by ``CoreMarkupLabel``: the markup renderer is ours
    uix_label.CoreMarkupLabel = SymbolMarkupLabel
    uix_label.Label._create_label = _create_label
    uix_label.Label._trigger_texture_update = _trigger_texture_update
    _installed[0] = True
