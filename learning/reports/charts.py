"""Pictures drawn on the server as SVG, from the same numbers as the table that
always stands right after them (templates/learning/reports/_chart.html: the
table is what a screen reader and a spreadsheet read; the picture is for the
eye).

Plain functions of plain numbers: no request, no database (Danish numbers need
the request's language when there is one, as every filter does). The markup
uses presentation attributes only (no style attribute, no <style>, no script,
no handler), so the page's Content-Security-Policy lets it through; every
label is escaped. Numbers are written as the tables beside them write them:
counts by the templates' `number` filter, kroner by `money`.

Colours are Det Fælles Designsystem's (static/vendor/dkfds, borger.dk theme):
the bars are its link blue, #004d99 (8.3:1 against the white page), the budget
line its dark grey, #454545 (9.6:1), axes its mid grey, #707070 (4.9:1), all
above WCAG 2.1's 3:1 for graphics; text is its near-black #1a1a1a (17.4:1,
above 4.5:1). tests/learning/reports/test_charts.py computes them.
"""

from collections.abc import Sequence
from decimal import Decimal
from itertools import count

from flask_babel import format_decimal
from markupsafe import Markup, escape

from core.templating import money

Number = int | float | Decimal

BAR = "#004d99"
LINE = "#454545"
TEXT = "#1a1a1a"
GRID = "#707070"
BACKGROUND = "#ffffff"
WIDTH = 640
ROW = 28
LABEL_WIDTH = 230
VALUE_WIDTH = 90
LABEL_CHARS = 32
# The jobcentres side by side: a row per jobcentre, a column per competence.
GROUP_WIDTH = 180
GROUP_CHARS = 24
GROUP_ROW = 24
GROUP_HEAD = 34
_ids = count(1)


def _number(value: Number) -> str:
    """As the templates' `number` filter writes it: '1.250,5' in Danish."""
    return format_decimal(value)


def short(label: str, chars: int = LABEL_CHARS) -> str:
    """`label` in at most `chars` characters, ending in '…' when cut."""
    return label if len(label) <= chars else label[: chars - 1].rstrip() + "…"


def _label(x: float, y: float, label: str, chars: int, **attributes: str) -> str:
    """A text of at most `chars` characters; a shortened one carries the whole
    label as its tooltip."""
    extra = "".join(
        f' {name.replace("_", "-")}="{v}"' for name, v in attributes.items()
    )
    shown = short(label, chars)
    tooltip = f"<title>{escape(label)}</title>" if shown != label else ""
    return (
        f'<text x="{x:g}" y="{y:g}" fill="{TEXT}"{extra}>'
        f"{tooltip}{escape(shown)}</text>"
    )


def _frame(title: str, description: str, height: int, body: list[str]) -> Markup:
    n = next(_ids)
    return Markup(
        f'<svg class="report-chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="chart-title-{n} chart-desc-{n}" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart-title-{n}">{escape(title)}</title>'
        f'<desc id="chart-desc-{n}">{escape(description)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _empty(title: str, message: str) -> Markup:
    text = escape(message)
    line = f'<text x="0" y="{ROW}" fill="{TEXT}" font-size="14">{text}</text>'
    return _frame(title, message, ROW * 2, [line])


def _length(value: Number, top: Number, room: float) -> float:
    """A bar's length: `room` for the largest value, proportional below it,
    at least a sliver for any positive value, nothing for none."""
    if value <= 0:
        return 0
    return max(1.0, round(room * float(value) / float(top), 1))


def bars(
    items: Sequence[tuple[str, Number]],
    *,
    title: str,
    description: str,
    empty: str,
) -> Markup:
    """Horizontal bars, one per (label, value), longest for the largest value;
    a long label is shortened, with the whole label as the bar's tooltip."""
    items = [(str(label), value) for label, value in items]
    top = max((value for _label, value in items), default=0)
    if not items or top <= 0:
        return _empty(title, empty)
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    body = []
    for i, (label, value) in enumerate(items):
        y = i * ROW
        length = _length(value, top, room)
        body.append(
            f"<g><title>{escape(label)}: {escape(_number(value))}</title>"
            f'<text x="0" y="{y + 18}" fill="{TEXT}" font-size="13">'
            f"{escape(short(label))}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y + 5}" width="{length:g}" '
            f'height="{ROW - 10}" fill="{BAR}"/>'
            f'<text x="{LABEL_WIDTH + length + 6:g}" y="{y + 18}" fill="{TEXT}" '
            f'font-size="13">{escape(_number(value))}</text></g>'
        )
    return _frame(title, description, ROW * len(items) + 4, body)


def side_by_side(
    groups: Sequence[str],
    panels: Sequence[tuple[str, Sequence[Number]]],
    *,
    title: str,
    description: str,
    empty: str,
) -> Markup:
    """Small multiples: a row per group (a jobcentre) and a column per panel
    (a competence), each panel's bars one value per group, all on one scale so
    that bars compare across panels as well as down them. `panels` holds
    (panel's label, a value per group in the order of `groups`)."""
    groups = [str(group) for group in groups]
    panels = [(str(label), list(values)) for label, values in panels]
    for label, values in panels:
        if len(values) != len(groups):
            raise ValueError(f"{label!r} has {len(values)} values, not {len(groups)}")
    top = max((v for _label, values in panels for v in values), default=0)
    if not groups or not panels or top <= 0:
        return _empty(title, empty)
    column = (WIDTH - GROUP_WIDTH) / len(panels)
    room = column - 48  # the rest holds the value's text
    bottom = GROUP_HEAD + GROUP_ROW * len(groups)
    body = [
        _label(0, GROUP_HEAD + GROUP_ROW * i + 16, group, GROUP_CHARS, font_size="13")
        for i, group in enumerate(groups)
    ]
    for p, (label, values) in enumerate(panels):
        x = GROUP_WIDTH + p * column + 4
        body.append(
            _label(
                x,
                18,
                label,
                max(4, int(column / 7.5)),
                font_size="12",
                font_weight="600",
            )
            + f'<line x1="{x:g}" y1="{GROUP_HEAD - 6}" x2="{x:g}" y2="{bottom}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        for i, (group, value) in enumerate(zip(groups, values, strict=True)):
            y = GROUP_HEAD + GROUP_ROW * i
            length = _length(value, top, room)
            body.append(
                f"<g><title>{escape(group)}, {escape(label)}: "
                f"{escape(_number(value))}</title>"
                f'<rect x="{x:g}" y="{y + 4}" width="{length:g}" '
                f'height="{GROUP_ROW - 8}" fill="{BAR}"/>'
                f'<text x="{x + length + 4:g}" y="{y + 16}" fill="{TEXT}" '
                f'font-size="12">{escape(_number(value))}</text></g>'
            )
    return _frame(title, description, bottom + 6, body)


def months(
    labels: Sequence[str],
    spent: Sequence[Number],
    budget: Number | None,
    *,
    title: str,
    description: str,
    empty: str,
) -> Markup:
    """Spend so far at the end of each month as columns, the budget as a
    dashed line across them, its amount written over it."""
    top = max([*spent, budget or 0], default=0)
    if top <= 0:
        return _empty(title, empty)
    height, axis, bottom = 220, 36, 190
    step = (WIDTH - axis) / max(1, len(labels))
    scale = (bottom - 20) / float(top)
    body = [
        f'<line x1="{axis}" y1="{bottom}" x2="{WIDTH}" y2="{bottom}" '
        f'stroke="{GRID}" stroke-width="1"/>'
    ]
    for i, (label, value) in enumerate(zip(labels, spent, strict=True)):
        x = axis + i * step
        tall = round(max(0.0, float(value)) * scale, 1)
        body.append(
            f"<g><title>{escape(label)}: {escape(money(value))}</title>"
            f'<rect x="{x + step * 0.15:.1f}" y="{bottom - tall:g}" '
            f'width="{step * 0.7:.1f}" height="{tall:g}" fill="{BAR}"/>'
            f'<text x="{x + step / 2:.1f}" y="{bottom + 18}" fill="{TEXT}" '
            f'font-size="12" text-anchor="middle">{escape(label)}</text></g>'
        )
    if budget:
        y = bottom - round(float(budget) * scale, 1)
        body.append(
            f'<line x1="{axis}" y1="{y:g}" x2="{WIDTH}" y2="{y:g}" stroke="{LINE}" '
            f'stroke-width="2" stroke-dasharray="6 4"/>'
            f'<text x="{axis}" y="{y - 6:g}" fill="{TEXT}" font-size="12">'
            f"{escape(money(budget))}</text>"
        )
    return _frame(title, description, height, body)
