"""Pictures drawn on the server as SVG, from the same numbers as the table that
always stands beside them (the table is what a screen reader and a spreadsheet
read; the picture is for the eye).

Plain functions of plain numbers: no request, no database. The markup uses
presentation attributes only (no style attribute, no script), so the page's
Content-Security-Policy lets it through; every label is escaped. Colours are
the design system's: the bars' blue has 6.8:1 against white and the budget
line's dark grey 11.2:1, above WCAG's 3:1 for graphics; text is near-black
(17.4:1). tests/learning/reports/test_charts.py computes them.
"""

from collections.abc import Sequence
from decimal import Decimal
from itertools import count

from flask_babel import format_decimal
from markupsafe import Markup, escape

BAR = "#0059b3"
LINE = "#3b3b3b"
TEXT = "#1a1a1a"
GRID = "#767676"
WIDTH = 640
ROW = 28
LABEL_WIDTH = 230
VALUE_WIDTH = 90
LABEL_CHARS = 32
_ids = count(1)


def _number(value) -> str:
    return format_decimal(value, format="#,##0.##")


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


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


def bars(
    items: Sequence[tuple[str, int | float | Decimal]],
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
        length = 0 if value <= 0 else max(1, round(room * float(value) / float(top)))
        body.append(
            f"<g><title>{escape(label)}: {escape(_number(value))}</title>"
            f'<text x="0" y="{y + 18}" fill="{TEXT}" font-size="13">'
            f"{escape(_short(label))}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y + 5}" width="{length}" height="{ROW - 10}" '
            f'fill="{BAR}"/>'
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 18}" fill="{TEXT}" '
            f'font-size="13">{escape(_number(value))}</text></g>'
        )
    return _frame(title, description, ROW * len(items) + 4, body)


def months(
    labels: Sequence[str],
    spent: Sequence[Decimal],
    budget: Decimal | None,
    *,
    title: str,
    description: str,
    empty: str,
) -> Markup:
    """Spend so far at the end of each month as columns, the budget as a
    dashed line across them."""
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
        tall = round(float(value) * scale)
        body.append(
            f"<g><title>{escape(label)}: {escape(_number(value))} kr.</title>"
            f'<rect x="{x + step * 0.15:.1f}" y="{bottom - tall}" '
            f'width="{step * 0.7:.1f}" height="{tall}" fill="{BAR}"/>'
            f'<text x="{x + step / 2:.1f}" y="{bottom + 18}" fill="{TEXT}" '
            f'font-size="12" text-anchor="middle">{escape(label)}</text></g>'
        )
    if budget:
        y = bottom - round(float(budget) * scale)
        body.append(
            f'<line x1="{axis}" y1="{y}" x2="{WIDTH}" y2="{y}" stroke="{LINE}" '
            f'stroke-width="2" stroke-dasharray="6 4"/>'
            f'<text x="{axis}" y="{y - 6}" fill="{TEXT}" font-size="12">'
            f"{escape(_number(budget))} kr.</text>"
        )
    return _frame(title, description, height, body)
