"""Shared widgets: form text fields, the signature pad (drawn on screen, saved as PNG) and
list rows."""

from __future__ import annotations

import base64
import io

from kivy.cache import Cache
from kivy.clock import Clock
from kivy.core.text import Label as CoreLabel
from kivy.core.text.markup import MarkupLabel
from kivy.graphics import Color, Line, Rectangle
from kivy.metrics import dp, sp
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label
from kivy.uix.textinput import TextInput
from kivy.uix.widget import Widget

from .fonts import fallback_fonts, readable, symbol_runs
from .line_breaks import wrap

__all__ = ["FormInput", "SignaturePad", "WrappingLabel", "InfoLabel", "MessageBar"]


class FormInput(TextInput):
    """A form's text field (its look and Android keyboard settings: ``widgets.kv``).

    While an input method composes (pinyin typed, hanzi not chosen yet) Kivy shows the
    composition inside ``text``. Leaving the field then (a tap on another field) kept that
    pinyin as if typed: Kivy stops listening to the input
    method when the field loses focus, so the engine's "composition cancelled" never reached
    it. The field now drops an unfinished composition itself when it loses focus, as the input
    method does: ``text`` goes back to what it was before the composition began.

    Emoji and pictographs (issue 14): Kivy's SDL2 text renderer has no per-glyph fallback and a
    TextInput no markup, so "张伟🙂" was drawn "张伟□" while typed. A line holding pictographs
    is drawn as ``mobile.fonts.readable`` markup (pictographs in the symbol font) and measured
    run by run in the same fonts, so the cursor, selection and taps match the glyphs. Lines
    without pictographs, passwords and a tablet without a symbol font draw as Kivy does.

    ``composing``: True while an input method composes in this field (the pinyin is in
    ``text`` but not typed yet). Look-ups wait for the commit (issue 14).

    Keyboards (issue 14, ``widgets.kv`` and each screen's .kv): ``input_type`` 'text' with
    suggestions for anything a person may write in Chinese (Android's pinyin and handwriting
    IMEs compose only with suggestions on); 'tel' for phones; 'number' for counts and amounts;
    'url' for the server address; no suggestions (so no autocorrect and no capitals) for the
    server address, usernames and passwords.

    ``error``: True while the form marks this field as wrong (a red frame, ``widgets.kv``)."""

    error = BooleanProperty(False)
    composing = BooleanProperty(False)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fbind("focus", self._drop_unfinished_composition)
        self.fbind("_ime_composition", self._composition_changed)

    def _drop_unfinished_composition(self, _instance, focused: bool) -> None:
        if not focused and self._ime_composition:
            self.window_on_textedit(None, "")

    def _composition_changed(self, _instance, composition: str) -> None:
        self.composing = bool(composition)

    # -- pictographs and other scripts drawn in their fonts ----------------------------------
    def _symbol_runs(self, text: str, hint: bool = False) -> list[tuple[str, str | None]]:
        if (self.password and not hint) or not fallback_fonts():
            return []
        return symbol_runs(text)

    def _create_line_label(self, text, hint=False):
        ntext = text.replace("\n", "").replace("\t", " " * self.tab_width)
        if not self._symbol_runs(ntext, hint):
            return super()._create_line_label(text, hint)
        kw = self._get_line_options()
        cid = f"symbols\0{ntext}\0{kw}"
        texture = Cache.get("textinput.label", cid)
        if texture is None:
            try:
                label = MarkupLabel(text=readable(ntext), markup=True, **kw)
                label.refresh()
            except Exception:  # noqa: BLE001 - a line too long for one texture: Kivy's own way (it cuts)
                return super()._create_line_label(text, hint)
            texture = label.texture
            Cache.append("textinput.label", cid, texture)
        return texture

    def _get_text_width(self, text, tab_width, _label_cached):
        runs = self._symbol_runs(text.replace("\t", " " * tab_width))
        if not runs:
            return super()._get_text_width(text, tab_width, _label_cached)
        kw = self._get_line_options()
        cid = f"symbols\0{text}\0{kw}"
        width = Cache.get("textinput.width", cid)
        if width is None:
            width = sum(_run_label(kw, font).get_extents(run)[0] for run, font in runs)
            Cache.append("textinput.width", cid, width)
        return width


def _run_label(kw: dict, font: str | None) -> CoreLabel:
    """A core label in the line's options, in ``font`` (a pictograph or other-script run's,
    ``fonts.symbol_runs``) or the line's own."""
    options = {k: v for k, v in kw.items() if k != "font_name"}
    return CoreLabel(font_name=font or kw["font_name"], **options)


class SignaturePad(Widget):
    """A white box the customer signs in with a finger. ``signed`` once anything is drawn."""

    signed = BooleanProperty(False)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.strokes: list[list[float]] = []
        self.bind(pos=self._redraw, size=self._redraw)

    def _redraw(self, *_args) -> None:
        self.canvas.clear()
        with self.canvas:
            Color(1, 1, 1, 1)
            Rectangle(pos=self.pos, size=self.size)
            Color(0.05, 0.1, 0.35, 1)
            for stroke in self.strokes:
                if len(stroke) >= 4:
                    Line(points=[v + (self.x if i % 2 == 0 else self.y) for i, v in enumerate(stroke)], width=2.2)

    def on_touch_down(self, touch):
        if not self.collide_point(*touch.pos):
            return super().on_touch_down(touch)
        touch.grab(self)
        self.strokes.append([touch.x - self.x, touch.y - self.y])
        return True

    def on_touch_move(self, touch):
        if touch.grab_current is not self:
            return super().on_touch_move(touch)
        if self.collide_point(*touch.pos):
            self.strokes[-1] += [touch.x - self.x, touch.y - self.y]
            self.signed = True
            self._redraw()
        return True

    def on_touch_up(self, touch):
        if touch.grab_current is self:
            touch.ungrab(self)
            return True
        return super().on_touch_up(touch)

    def draw_stroke(self, points: list[tuple[float, float]]) -> None:
        """Add a stroke in widget-relative coordinates (used by scripted demos)."""
        self.strokes.append([c for p in points for c in p])
        self.signed = len(points) > 1 or self.signed
        self._redraw()

    def clear(self) -> None:
        self.strokes, self.signed = [], False
        self._redraw()

    def png_base64(self) -> str:
        """The signature as a base64 PNG (what the visit report stores)."""
        buffer = io.BytesIO()
        self.export_as_image().save(buffer, fmt="png")
        return base64.b64encode(buffer.getvalue()).decode("ascii")


def _hidden(child: Widget) -> bool:
    """A child hidden by a height of 0 (a warning, a progress bar, an error line with nothing to say)."""
    return child.size_hint_y is None and child.height <= 0


class Stack(BoxLayout):
    """A vertical ``BoxLayout`` that puts its ``spacing`` only between children it shows: a child
    hidden by a height of 0 takes no room and no spacing (QA of issue 14, N8: the sync screen's
    hidden clock warning and progress bar each left a gap, with the padding an empty band of
    ~130 px between the header and the summary). Banners keep their reserved space (their height
    is fixed, shown or not): only what has nothing to show collapses."""

    def do_layout(self, *largs) -> None:
        children = [c for c in self.children if not _hidden(c)]
        if len(children) == len(self.children) or not children:
            super().do_layout(*largs)
            return
        for i, x, y, w, h in self._iterate_layout([(c.size, c.size_hint, c.pos_hint, c.size_hint_min,
                                                    c.size_hint_max) for c in children]):
            c = children[i]
            c.pos = x, y
            shw, shh = c.size_hint
            if shw is None:
                if shh is not None:
                    c.height = h
            elif shh is None:
                c.width = w
            else:
                c.size = (w, h)
        left, top, right, _bottom = self.padding
        for c in self.children:
            if _hidden(c):  # out of the way, at the top, as wide as its shown siblings
                c.pos = self.x + left, self.top - top
                if c.size_hint_x is not None:
                    c.width = self.width - left - right


class WrappingLabel(Label):
    """A label whose lines break by the rules for Chinese text (``line_breaks.wrap``, QA of
    issue 14: Kivy breaks only at spaces, so "已登记（今天第 15" / "位）…" and a line starting with
    "）"): the lines are broken here, measured in the label's own font, before Kivy lays them out
    (then each fits and Kivy breaks none). Markup labels (names with pictographs) wrap as Kivy does."""

    def texture_update(self, *largs):
        width = self.text_size[0]
        if self.text and width and not self.markup:
            core = self._label
            core.text = wrap(self.text, max(1.0, width - self.padding[0] - self.padding[2]),
                             lambda s: core.get_extents(s)[0])
        super().texture_update(*largs)


class InfoLabel(WrappingLabel):
    """A line of information that wraps to its width (look: ``widgets.kv``)."""


class MessageBar(WrappingLabel):
    """A banner in reserved space (issue 14: the layout never jumps): its height is fixed by the
    screen, so a message longer than the band is drawn in a smaller font (down to ``min_sp``)
    and, should it still not fit, shows its first lines — the verdict — cut at the band's edge
    (QA6 M3: Kivy's ``max_lines`` kept a three-line verdict's last lines, 新客户… lost).
    ``kind``: info | ok | warn | error | quiet (a status line in the band). ``fit``: False for a
    bar whose height follows its text (``AlertBar``). Sizes in sp, converted when used (``sp()``
    at import would need a window)."""

    kind = StringProperty("info")
    fit = BooleanProperty(True)
    base_sp = NumericProperty(19)
    min_sp = NumericProperty(14)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._refit = Clock.create_trigger(self._fit, -1)
        self.bind(text=self._refit, size=self._refit, fit=self._refit)

    def _fit(self, *_args) -> None:
        """Measure the text whole at each size from ``base_sp`` down (``texture_update``: laid
        out now, not on the next frame) and keep the first that fits the band."""
        if not self.fit:
            return
        width, room = max(1.0, self.width - dp(24)), self.height - dp(4)
        self.text_size, self.valign = (width, None), "middle"
        size = self.base_sp
        while True:
            self.font_size = sp(size)
            self.texture_update()
            if not self.text or room <= 0 or self.texture_size[1] <= room or size <= self.min_sp:
                break
            size -= 1
        if self.text and room > 0 and self.texture_size[1] > room:  # the first lines, whole
            self.valign, self.text_size = "top", (width, room)
            self.texture_update()
