"""Bulk course -> competence links: export as CSV or Excel; import with a preview,
then applied in one transaction."""

from flask import Blueprint, abort
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.permissions import require
from core.tables import download
from learning.import_views import ImportFlow
from learning.matching import link_imports
from learning.matching.errors import link_problem_text
from learning.matching.forms import ApplyLinkImportForm, LinkImportForm
from learning.matching.permissions import can_maintain_course_links

FLOW = ImportFlow(
    may=can_maintain_course_links,
    page="learning/matching/link_import.html",
    preview_page="learning/matching/link_import_preview.html",
    upload_form=LinkImportForm,
    apply_form=ApplyLinkImportForm,
    read=link_imports.read,
    plan=link_imports.plan,
    apply_plan=link_imports.apply,
    problem_text=lambda problem, _fmt: link_problem_text(problem),
    done=lambda plan: _(
        "The course competences are imported: %(new)d new, %(changed)d changed, "
        "%(removed)d removed.",
        new=plan.count("new"),
        changed=plan.count("changed"),
        removed=plan.count("removed"),
    ),
    done_endpoint=".import_file",
)


@login_required
def export(fmt: str):
    require(can_maintain_course_links(current_user))
    rows = link_imports.export_rows()
    title = _("Course competences")
    response = download(
        fmt, link_imports.COLUMNS, rows, name="kursuskompetencer", title=title
    )
    return response or abort(404)


def register(bp: Blueprint) -> None:
    """Add the course-competence import (preview, apply) and export pages to `bp`."""
    FLOW.register(bp)
    bp.add_url_rule("/eksport.<fmt>", view_func=export)
