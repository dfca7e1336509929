"""Bulk course -> competence links: export as CSV or Excel; import with a preview,
then applied in one transaction."""

import base64
import binascii

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.db import db
from core.permissions import require
from learning.matching import link_imports
from learning.matching.errors import link_problem_text
from learning.matching.forms import ApplyLinkImportForm, LinkImportForm
from learning.matching.permissions import can_maintain_course_links
from learning.tables import FileFormatError, write_csv_table, write_xlsx_table

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _refused(form, exc: FileFormatError):
    problems = [link_problem_text(p) for p in exc.problems]
    return render_template(
        "learning/matching/link_import.html", form=form, problems=problems
    ), 400


@login_required
def import_file():
    require(can_maintain_course_links(current_user))
    form = LinkImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        fmt = "xlsx" if upload.filename.lower().endswith(".xlsx") else "csv"
        raw = upload.read()
        try:
            plan = link_imports.plan(link_imports.read(raw, fmt))
        except FileFormatError as exc:
            return _refused(form, exc)
        payload = base64.b64encode(raw).decode("ascii")
        return render_template(
            "learning/matching/link_import_preview.html",
            plan=plan,
            form=ApplyLinkImportForm(data={"payload": payload, "fmt": fmt}),
            filename=upload.filename,
        )
    status = 400 if form.errors else 200
    return render_template(
        "learning/matching/link_import.html", form=form, problems=[]
    ), status


@login_required
def apply_import():
    require(can_maintain_course_links(current_user))
    confirm = ApplyLinkImportForm()
    if not confirm.validate_on_submit():
        abort(
            400, description=_("The import was not confirmed correctly. Start again.")
        )
    try:
        raw = base64.b64decode(confirm.payload.data, validate=True)
    except (binascii.Error, ValueError):
        abort(
            400, description=_("The import was not confirmed correctly. Start again.")
        )
    try:
        plan = link_imports.apply(
            current_user, link_imports.read(raw, confirm.fmt.data)
        )
    except FileFormatError as exc:
        db.session.rollback()
        return _refused(LinkImportForm(formdata=None), exc)
    db.session.commit()
    flash(
        _(
            "The course competences are imported: %(new)d new, %(changed)d changed, "
            "%(removed)d removed.",
            new=plan.count("new"),
            changed=plan.count("changed"),
            removed=plan.count("removed"),
        ),
        "success",
    )
    return redirect(url_for(".import_file"))


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
    return Response(
        body,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="kursuskompetencer.{fmt}"'
        },
    )


def register(bp: Blueprint) -> None:
    """Add the course-competence import (preview, apply) and export pages to `bp`."""
    bp.add_url_rule("/import", view_func=import_file, methods=["GET", "POST"])
    bp.add_url_rule("/import/anvend", view_func=apply_import, methods=["POST"])
    bp.add_url_rule("/eksport.<fmt>", view_func=export)
