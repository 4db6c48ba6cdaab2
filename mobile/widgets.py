"""Shared widgets: form text fields, the signature pad (drawn on screen, saved as PNG) and
list rows."""

from __future__ import annotations

import base64
import io

from kivy.graphics import Color, Line, Rectangle
from kivy.properties import BooleanProperty
from kivy.uix.textinput import TextInput
from kivy.uix.widget import Widget

__all__ = ["FormInput", "SignaturePad"]


class FormInput(TextInput):
    """A form's text field (its look and Android keyboard settings: ``widgets.kv``).

    While an input method composes (pinyin typed, hanzi not chosen yet) Kivy shows the
    composition inside ``text``. Leaving the field then (a tap on another field) kept that
    pinyin as if typed: Kivy stops listening to the input
    method when the field loses focus, so the engine's "composition cancelled" never reached
    it. The field now drops an unfinished composition itself when it loses focus, as the input
    method does: ``text`` goes back to what it was before the composition began.

    ``error``: True while the form marks this field as wrong (a red frame, ``widgets.kv``)."""

    error = BooleanProperty(False)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fbind("focus", self._drop_unfinished_composition)

    def _drop_unfinished_composition(self, _instance, focused: bool) -> None:
        if not focused and self._ime_composition:
            self.window_on_textedit(None, "")


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
