"""Import (preview, then apply in one transaction) and export of the framework."""

from flask import Blueprint, abort
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.permissions import require
from core.tables import FORMATS, decode_text, download, format_of
from learning.competences import imports, writers
from learning.competences.errors import problem_text
from learning.competences.formats import (
    CSV_COLUMNS,
    FileFormatError,
    Problem,
    read_case_json,
    read_sheet,
)
from learning.competences.forms import ApplyImportForm, ImportForm
from learning.competences.permissions import can_maintain_framework
from learning.import_views import ImportFlow, attachment

MAX_BYTES = 2 * 1024 * 1024


def _read(raw: bytes, fmt: str):
    if len(raw) > MAX_BYTES:
        raise FileFormatError([Problem(1, "", "too_big")])
    if fmt == "json":
        return read_case_json(decode_text(raw, legacy=False))
    return read_sheet(raw, fmt)


FLOW = ImportFlow(
    may=can_maintain_framework,
    page="learning/competences/import.html",
    preview_page="learning/competences/import_preview.html",
    upload_form=ImportForm,
    apply_form=ApplyImportForm,
    fmt_of=lambda name: "json" if name.endswith(".json") else format_of(name),
    read=_read,
    plan=imports.plan,
    apply_plan=imports.apply,
    problem_text=problem_text,
    done=lambda plan: _(
        "The framework is imported: %(count)d new or changed items.",
        count=len(plan.shown),
    ),
    done_endpoint=".index",
)


@login_required
def export(fmt: str):
    require(can_maintain_framework(current_user))
    data = imports.export_data()
    if fmt in FORMATS:
        title = _("Competence framework")
        rows = writers.rows(data)
        return download(fmt, CSV_COLUMNS, rows, name="kompetenceramme", title=title)
    if fmt != "json":
        abort(404)
    body = writers.write_case_json(data, title=_("Competence framework"))
    return attachment(body, "application/json; charset=utf-8", "kompetenceramme.json")


def register(bp: Blueprint) -> None:
    """Add the framework import (preview, apply) and export pages to `bp`."""
    FLOW.register(bp)
    bp.add_url_rule("/eksport.<fmt>", view_func=export)
