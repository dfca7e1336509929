"""Server-drawn SVG of a person's levels against their targets (no JavaScript)."""

from flask_babel import gettext as _
from markupsafe import Markup, escape

from learning.assessments.overview import ProfileOverview
from learning.competences.labels import localised

LABEL_WIDTH = 360
BAR_WIDTH = 340
ROW_HEIGHT = 26
TOP = 44
BAR_COLOUR = "#005ea5"  # 7:1 against white, so the bars read for everyone
TARGET_COLOUR = "#1a1a1a"
GRID_COLOUR = "#b1b4b6"


def _short(text: str, limit: int = 44) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def profile_chart(
    overview: ProfileOverview, *, chart_id: str = "profile-chart"
) -> Markup:
    """A bar per competence (current level) with a marker at the target."""
    rows = overview.rows
    top = max(overview.scale.top, 1)
    step = BAR_WIDTH / top
    height = TOP + ROW_HEIGHT * len(rows) + 12
    width = LABEL_WIDTH + BAR_WIDTH + 70
    below = sum(1 for r in rows if r.gap.gap)
    title = _("Competence profile of %(name)s", name=overview.person.name)
    desc = _(
        "%(count)d competences: the bar is the current level, the black line the "
        "target, on a scale from 0 to %(top)d. %(below)d are below the target.",
        count=len(rows),
        top=top,
        below=below,
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="profile-chart" '
        f'viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    for level in overview.scale.levels:
        x = LABEL_WIDTH + level.value * step
        parts.append(
            f'<line x1="{x:.1f}" y1="{TOP - 8}" x2="{x:.1f}" y2="{height - 8}" '
            f'stroke="{GRID_COLOUR}" stroke-width="1"/>'
            f'<text x="{x:.1f}" y="{TOP - 14}" text-anchor="middle" font-size="11" '
            f'fill="#1a1a1a">{level.value} {escape(level.name)}</text>'
        )
    for n, row in enumerate(rows):
        parts.append(_bar(n, row, step))
    parts.append("</svg>")
    return Markup("".join(parts))


def _bar(n: int, row, step: float) -> str:
    y = TOP + n * ROW_HEIGHT
    gap = row.gap
    current = gap.current or 0
    label = f"{row.competence.code} {_short(localised(row.competence))}"
    target_x = LABEL_WIDTH + gap.target * step
    figures = f"{'–' if gap.current is None else gap.current}/{gap.target}"
    return (
        f'<g class="profile-row">'
        f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end" font-size="12" '
        f'fill="#1a1a1a">{escape(label)}</text>'
        f'<rect x="{LABEL_WIDTH}" y="{y + 5}" width="{current * step:.1f}" height="14" '
        f'fill="{BAR_COLOUR}"/>'
        f'<line x1="{target_x:.1f}" y1="{y + 1}" x2="{target_x:.1f}" y2="{y + 23}" '
        f'stroke="{TARGET_COLOUR}" stroke-width="3"/>'
        f'<text x="{LABEL_WIDTH + BAR_WIDTH + 12}" y="{y + 16}" font-size="12" '
        f'fill="#1a1a1a">{figures}</text>'
        f"</g>"
    )
