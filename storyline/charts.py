"""Inline SVG bar charts, drawn in Python: no script, no external resource, no inline style.

One drawer for every chart Storyline draws: the brief's figures (brief.py)
and the web app's story charts (storyline/web).  A chart is a column of
horizontal bars, one per row, each with a label on its left and a text on
its right, so it reads on paper and without colour.  Colours come from the
``class`` of each bar (``bar-killed``...), styled by whoever embeds the
chart; sizes and positions are SVG presentation attributes.  Every piece of
text is escaped here.
"""

from __future__ import annotations

import html
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    """One row of a chart: ``label`` left of the bar, ``value`` its length, ``text`` right of it,
    ``kind`` its class (``bar-<kind>``)."""

    label: str
    value: float
    text: str
    kind: str


@dataclass(frozen=True)
class Size:
    """How big a chart is drawn, in pixels; the defaults are the brief's."""

    label: int = 240  # room for the label left of the bars
    bar: int = 260  # the longest bar
    text: int = 340  # room for the text right of the bars
    row: int = 22  # one row's height
    thick: int = 16  # one bar's height
    font: str = "Georgia,serif"
    font_size: int = 12


SMALL = Size(label=72, bar=90, text=28, row=11, thick=8, font="system-ui,sans-serif", font_size=9)


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def bar_chart(title: str, bars: list[Bar], size: Size = Size(), desc: str | None = None,
              signed: bool = False) -> list[str]:
    """The lines of one ``<svg>`` of horizontal bars, the longest ``size.bar`` pixels long.

    With ``desc``, the SVG carries a ``<title>`` and a ``<desc>`` for screen
    readers.  With ``signed``, bars start from a zero line in the middle:
    negative values go left, positive right, and the texts line up after
    the bars.  Empty when there are no bars.
    """
    if not bars:
        return []
    top = max(abs(b.value) for b in bars) or 1
    half = size.bar // 2 if signed else size.bar
    zero = size.label + (half if signed else 0)
    height, width = size.row * len(bars) + 8, size.label + size.bar + size.text
    out = [f'<svg width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label="{_e(title)}" '
           f'font-family="{size.font}" font-size="{size.font_size}">']
    if desc is not None:
        out += [f"<title>{_e(title)}</title>", f"<desc>{_e(desc)}</desc>"]
    if signed:
        out.append(f'<line class="zero" x1="{zero}" y1="0" x2="{zero}" y2="{height}" stroke="currentColor"/>')
    base = size.thick - 2  # the text's baseline, level with the bar's foot
    for k, b in enumerate(bars):
        y, length = 4 + size.row * k, max(1, round(half * abs(b.value) / top))
        x = zero - length if signed and b.value < 0 else zero
        after = size.label + size.bar + 6 if signed else size.label + 6 + length
        out += [f'<text x="0" y="{y + base}">{_e(b.label)}</text>',
                f'<rect class="bar-{_e(b.kind)}" x="{x}" y="{y}" width="{length}" height="{size.thick}"/>',
                f'<text x="{after}" y="{y + base}">{_e(b.text)}</text>']
    return out + ["</svg>"]
