"""The upload -> preview -> apply pages every bulk import in learning/ shares.

An area describes its import once as an `ImportFlow` (who may import, its templates
and forms, how to read, plan and apply a file, and how to say what went wrong) and
adds the pages with `FLOW.register(bp)`. The file travels from the preview to the
apply step in a hidden field, so nothing is stored between the two requests.
"""

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.db import db
from core.permissions import require
from core.tables import FileFormatError, Problem, format_of


@dataclass(frozen=True)
class ImportFlow:
    may: Callable[[Any], bool]  # the permission predicate: who may import
    page: str  # the upload form's template, which also lists the problems
    preview_page: str
    upload_form: Callable[..., Any]
    apply_form: Callable[..., Any]
    read: Callable[[bytes, str], Any]  # raises FileFormatError
    plan: Callable[[Any], Any]
    apply_plan: Callable[[Any, Any], Any]  # (actor, data) -> plan; flushes
    problem_text: Callable[[Problem, str], str]
    done: Callable[[Any], str]  # the applied plan -> the flash message
    done_endpoint: str
    fmt_of: Callable[[str], str] = format_of  # file name -> format
    to_payload: Callable[[bytes], str] = lambda raw: base64.b64encode(raw).decode()
    # raises ValueError (binascii.Error is one) when the payload was tampered with
    from_payload: Callable[[str], bytes] = lambda p: base64.b64decode(p, validate=True)

    def register(self, bp: Blueprint) -> None:
        """Add the upload page (/import) and the apply step (/import/anvend) to
        `bp`, as its endpoints import_file and apply_import."""

        @login_required
        def import_file():
            require(self.may(current_user))
            return self.upload()

        @login_required
        def apply_import():
            require(self.may(current_user))
            return self.apply(current_user)

        bp.add_url_rule("/import", view_func=import_file, methods=["GET", "POST"])
        bp.add_url_rule("/import/anvend", view_func=apply_import, methods=["POST"])

    def upload(self):
        """GET shows the form; POST reads the file and shows the preview."""
        form = self.upload_form()
        if form.validate_on_submit():
            upload = form.file.data
            fmt = self.fmt_of(upload.filename.lower())
            raw = upload.read()
            try:
                plan = self.plan(self.read(raw, fmt))
                payload = self.to_payload(raw)
            except FileFormatError as exc:
                return self._refused(form, exc, fmt)
            return render_template(
                self.preview_page,
                plan=plan,
                form=self.apply_form(data={"payload": payload, "fmt": fmt}),
                filename=upload.filename,
            )
        status = 400 if form.errors else 200
        return render_template(self.page, form=form, problems=[]), status

    def apply(self, actor):
        """Apply the previewed file in one transaction, or change nothing."""
        confirm = self.apply_form()
        not_confirmed = _("The import was not confirmed correctly. Start again.")
        if not confirm.validate_on_submit():
            abort(400, description=not_confirmed)
        fmt = confirm.fmt.data
        try:
            raw = self.from_payload(confirm.payload.data)
        except ValueError:
            abort(400, description=not_confirmed)
        try:
            plan = self.apply_plan(actor, self.read(raw, fmt))
        except FileFormatError as exc:
            db.session.rollback()
            return self._refused(self.upload_form(formdata=None), exc, fmt)
        db.session.commit()
        flash(self.done(plan), "success")
        return redirect(url_for(self.done_endpoint))

    def _refused(self, form, exc: FileFormatError, fmt: str):
        problems = [self.problem_text(p, fmt) for p in exc.problems]
        return render_template(self.page, form=form, problems=problems), 400


def attachment(body: bytes | str, mimetype: str, filename: str) -> Response:
    """An export the browser saves as `filename` (the import's file format)."""
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
