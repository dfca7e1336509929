"""Bulk course -> competence links: export as CSV or Excel; import with a preview,
then applied in one transaction."""

import base64

from flask import Blueprint, abort
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.permissions import require
from learning.import_views import ImportFlow, attachment
from learning.matching import link_imports
from learning.matching.errors import link_problem_text
from learning.matching.forms import ApplyLinkImportForm, LinkImportForm
from learning.matching.permissions import can_maintain_course_links
from learning.tables import write_csv_table, write_xlsx_table

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _from_payload(payload: str) -> bytes:
    return base64.b64decode(payload, validate=True)  # binascii.Error: a ValueError


FLOW = ImportFlow(
    may=can_maintain_course_links,
    page="learning/matching/link_import.html",
    preview_page="learning/matching/link_import_preview.html",
    upload_form=LinkImportForm,
    apply_form=ApplyLinkImportForm,
    fmt_of=lambda name: "xlsx" if name.endswith(".xlsx") else "csv",
    read=link_imports.read,
    plan=link_imports.plan,
    apply_plan=link_imports.apply,
    problem_text=lambda problem, _fmt: link_problem_text(problem),
    to_payload=lambda raw: base64.b64encode(raw).decode("ascii"),
    from_payload=_from_payload,
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
    if fmt == "csv":
        body = write_csv_table(link_imports.COLUMNS, rows)
        mimetype = "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body = write_xlsx_table(
            link_imports.COLUMNS, rows, title=_("Course competences")
        )
        mimetype = XLSX_TYPE
    else:
        abort(404)
    return attachment(body, mimetype, f"kursuskompetencer.{fmt}")


def register(bp: Blueprint) -> None:
    """Add the course-competence import (preview, apply) and export pages to `bp`."""
    FLOW.register(bp)
    bp.add_url_rule("/eksport.<fmt>", view_func=export)
