"""Import (preview, then apply in one transaction) and export of the framework."""

from flask import Blueprint, abort
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.permissions import require
from learning.competences import imports, writers
from learning.competences.errors import problem_text
from learning.competences.formats import (
    FileFormatError,
    Problem,
    read_case_json,
    read_csv,
)
from learning.competences.forms import ApplyImportForm, ImportForm
from learning.competences.permissions import can_maintain_framework
from learning.import_views import ImportFlow, attachment
from learning.tables import decode_text

MAX_BYTES = 2 * 1024 * 1024
READERS = {"csv": read_csv, "json": read_case_json}


def _read(raw: bytes, fmt: str):
    if len(raw) > MAX_BYTES:
        raise FileFormatError([Problem(1, "", "too_big")])
    return READERS[fmt](decode_text(raw))


FLOW = ImportFlow(
    may=can_maintain_framework,
    page="learning/competences/import.html",
    preview_page="learning/competences/import_preview.html",
    upload_form=ImportForm,
    apply_form=ApplyImportForm,
    fmt_of=lambda name: "json" if name.endswith(".json") else "csv",
    read=_read,
    plan=imports.plan,
    apply_plan=imports.apply,
    problem_text=problem_text,
    to_payload=decode_text,
    from_payload=lambda payload: payload.encode("utf-8"),
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
    if fmt == "csv":
        body, mimetype = writers.write_csv(data), "text/csv; charset=utf-8"
    elif fmt == "json":
        body = writers.write_case_json(data, title=_("Competence framework"))
        mimetype = "application/json; charset=utf-8"
    else:
        abort(404)
    return attachment(body, mimetype, f"kompetenceramme.{fmt}")


def register(bp: Blueprint) -> None:
    """Add the framework import (preview, apply) and export pages to `bp`."""
    FLOW.register(bp)
    bp.add_url_rule("/eksport.<fmt>", view_func=export)
