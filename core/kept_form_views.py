"""Answers kept when a form's CSRF token or sign-in ran out (issue 15): the page
comes back with what was typed and a fresh token, after signing in again where
needed. The stale POST itself is never acted on: the person checks and saves.

Whose answers they are is read from the form's own CSRF token: from signing in,
the session's CSRF secret ends in the person's id, so a page's token
(signed by the server) names the person the page was made for, even after the
session that made it is gone. Answers go back to that person only.

Signed in: the page is rendered again at once (a GET of the same address, no
table written). Signed out: the answers wait in `kept_forms` (a 43-answer
self-assessment with comments outgrows a cookie) for an hour, the way back is
the sign-in page's `next`, and only the same person gets them there.
"""

import secrets
from urllib.parse import urlencode

from flask import (
    Flask,
    current_app,
    flash,
    g,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import (
    current_user,
    login_url,
    user_loaded_from_cookie,
    user_logged_in,
)
from itsdangerous import BadData
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from core import form_tokens, kept_forms
from core.db import db
from core.extensions import login_manager
from core.kept_forms import NEVER_KEPT
from core.people.models import User
from core.registry import add_personal_data

# The address parameter that brings kept answers back after signing in.
KEY_ARG = "gemte-svar"
_OWNER_MARK = ".u"

NOTICE = _l("The page had expired; your answers are kept — check them and save again.")
FILES_NOTICE = _l("Files cannot be kept: choose them again before you save.")
SIGN_IN_AGAIN = _l(
    "You were signed out. Sign in again and the page comes back with your answers."
)


class _Answers:
    """What was posted, minus the token and passwords, and the files left behind."""

    def __init__(self, fields: list, files: list) -> None:
        self.fields = fields
        self.files = files
        self.used = False

    @classmethod
    def from_request(cls) -> "_Answers":
        token_field = current_app.config["WTF_CSRF_FIELD_NAME"]
        fields = [
            [name, value]
            for name, value in request.form.items(multi=True)
            if name != token_field and name not in NEVER_KEPT
        ]
        files = sorted({name for name, f in request.files.items(multi=True) if f})
        return cls(fields, files)

    def fit(self, field_names: set[str]) -> bool:
        """Whether these answers were posted by a form with these fields."""
        return any(
            name in field_names or name.split("-", 1)[0] in field_names
            for name, _value in self.fields
        )


def answers_for(form) -> MultiDict | None:
    """The kept answers for `form` on this page, shown with the notice once; None
    when there are none, or they are someone else's or another form's."""
    answers = _answers_here()
    if answers is None or not answers.fit(set(form._fields)):
        return None
    if not answers.used:
        answers.used = True
        flash(str(NOTICE), "warning")
        if answers.files:
            flash(str(FILES_NOTICE), "warning")
    return MultiDict(answers.fields)


def _answers_here() -> _Answers | None:
    if "kept_answers" in g:
        return g.kept_answers
    g.kept_answers = None
    key = request.args.get(KEY_ARG)
    if request.method == "GET" and key and current_user.is_authenticated:
        kept = kept_forms.find(key, current_user, request.path)
        if kept is not None:
            g.kept_answers = _Answers(kept.fields, kept.files)
    return g.kept_answers


def page_owner() -> int | None:
    """The id of the person the posted form was made for, read from its CSRF
    token (signature checked, age not); None when it names no one."""
    config = current_app.config
    token = request.form.get(config["WTF_CSRF_FIELD_NAME"]) or ""
    try:
        secret = form_tokens.signing().loads(token)
    except BadData:
        return None
    return _owner_in(secret)


def csrf_secret_for(user_id: int) -> str:
    """A new CSRF secret for the session of the person with `user_id`."""
    return f"{secrets.token_hex(20)}{_OWNER_MARK}{user_id}"


def _owner_in(secret) -> int | None:
    _random, mark, owner = str(secret or "").rpartition(_OWNER_MARK)
    return int(owner) if mark and owner.isdigit() else None


def after_refused_token():
    """The answer to a POST whose CSRF token failed: the page again with the
    answers, or the way to sign in and get them back; None when there is nothing
    to give back to anyone (the caller shows the plain refusal)."""
    if request.method != "POST" or not request.form:
        return None
    owner = page_owner()
    if current_user.is_authenticated:
        # A page made for someone else (they signed out, this person in) is not
        # theirs to see; a token that names no one is this browser's own page.
        if owner not in (None, current_user.id):
            return None
        return _show_again(_Answers.from_request())
    return _keep_until_signed_in(owner)


def _accepts_get() -> bool:
    rule = request.url_rule
    return rule is not None and "GET" in (rule.methods or ())


def _show_again(answers: _Answers):
    """Run the page's GET for the same address with the answers in its form."""
    if not _accepts_get():
        return None
    app = current_app._get_current_object()
    g.kept_answers = answers
    request.method = "GET"
    try:
        response = app.preprocess_request()
        if response is None:
            view = app.view_functions[request.url_rule.endpoint]
            response = app.ensure_sync(view)(**request.view_args)
        response = app.make_response(response)
    except HTTPException:
        return None
    finally:
        request.method = "POST"
    if not answers.used or response.status_code not in (200, 400):
        return None
    # The POST was refused, even though its answers are back on the page.
    response.status_code = 400
    return response


def _keep_until_signed_in(owner: int | None):
    user = db.session.get(User, owner) if owner is not None else None
    if user is None or not user.active or not _accepts_get():
        return None
    answers = _Answers.from_request()
    kept = kept_forms.keep(user, request.path, answers.fields, answers.files)
    db.session.commit()
    query = [*request.args.items(multi=True), (KEY_ARG, kept.key)]
    back = f"{request.path}?{urlencode(query)}"
    flash(str(SIGN_IN_AGAIN), "info")
    return redirect(url_for("core.login", next=back), 303)


def _sign_in_first():
    """Flask-Login's answer to a signed-out request, keeping a POST's answers."""
    if request.method == "POST" and request.form:
        kept = _keep_until_signed_in(page_owner())
        if kept is not None:
            return kept
    if login_manager.login_message:
        flash(str(login_manager.login_message), login_manager.login_message_category)
    return redirect(login_url(login_manager.login_view, next_url=request.url))


def _bind_csrf_to_person(_app, user, **_kwargs) -> None:
    """On signing in, give the session a CSRF secret that ends in the person's
    id, so every page's token names whom it was made for. Sent by Flask-Login
    (a sign-in, or the remember-me cookie), so no other request loads the user."""
    field = current_app.config["WTF_CSRF_FIELD_NAME"]
    if _owner_in(session.get(field)) == user.id:
        return  # already theirs: a new secret would void their open pages
    session[field] = csrf_secret_for(user.id)
    g.pop(field, None)  # Flask-WTF's token for this request, made from the old one


def init_app(app: Flask) -> None:
    user_logged_in.connect(_bind_csrf_to_person)
    user_loaded_from_cookie.connect(_bind_csrf_to_person)
    login_manager.unauthorized_handler(_sign_in_first)
    add_personal_data(app, kept_forms.RULE)
