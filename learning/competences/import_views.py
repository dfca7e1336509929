"""Import (preview, then apply in one transaction) and export of the framework."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.db import db
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
from learning.tables import decode_text

MAX_BYTES = 2 * 1024 * 1024
READERS = {"csv": read_csv, "json": read_case_json}


def _read(raw: bytes, fmt: str):
    if len(raw) > MAX_BYTES:
        raise FileFormatError([Problem(1, "", "too_big")])
    text = decode_text(raw)
    return text, READERS[fmt](text)


@login_required
def import_file():
    require(can_maintain_framework(current_user))
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        fmt = "json" if upload.filename.lower().endswith(".json") else "csv"
        try:
            text, data = _read(upload.read(), fmt)
            plan = imports.plan(data)
        except FileFormatError as exc:
            return _refused(form, exc, fmt)
        confirm = ApplyImportForm(data={"payload": text, "fmt": fmt})
        return render_template(
            "learning/competences/import_preview.html",
            plan=plan,
            form=confirm,
            filename=upload.filename,
        )
    status = 400 if form.errors else 200
    return render_template(
        "learning/competences/import.html", form=form, problems=[]
    ), status


@login_required
def apply_import():
    require(can_maintain_framework(current_user))
    confirm = ApplyImportForm()
    if not confirm.validate_on_submit():
        abort(
            400, description=_("The import was not confirmed correctly. Start again.")
        )
    fmt = confirm.fmt.data
    try:
        _text, data = _read(confirm.payload.data.encode("utf-8"), fmt)
        plan = imports.apply(current_user, data)
    except FileFormatError as exc:
        db.session.rollback()
        return _refused(ImportForm(formdata=None), exc, fmt)
    db.session.commit()
    shown = len(plan.shown)
    flash(
        _("The framework is imported: %(count)d new or changed items.", count=shown),
        "success",
    )
    return redirect(url_for(".index"))


def _refused(form, exc: FileFormatError, fmt: str):
    problems = [problem_text(p, fmt) for p in exc.problems]
    return render_template(
        "learning/competences/import.html", form=form, problems=problems
    ), 400


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
    return Response(
        body,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="kompetenceramme.{fmt}"'
        },
    )


def register(bp: Blueprint) -> None:
    """Add the framework import (preview, apply) and export pages to `bp`."""
    bp.add_url_rule("/import", view_func=import_file, methods=["GET", "POST"])
    bp.add_url_rule("/import/anvend", view_func=apply_import, methods=["POST"])
    bp.add_url_rule("/eksport.<fmt>", view_func=export)
