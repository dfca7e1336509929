"""Calendar feeds (public and personal), booking files and the calendar page."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload
from werkzeug.http import http_date, quote_etag

from core.db import db
from core.permissions import require
from courses.bookings.models import Booking
from courses.calendars import services
from courses.calendars.forms import ConfirmForm
from courses.calendars.kept_feeds import kept_or_built
from courses.calendars.permissions import (
    can_download_booking,
    can_use_personal_calendar,
)
from courses.calendars.stamps import recent_states
from courses.sessions.models import CourseSession

bp = Blueprint("calendars", __name__)

ICS_TYPE = "text/calendar; charset=utf-8"


def _not_modified(state: services.FeedState) -> bool:
    # RFC 9110 13.2.2: If-None-Match wins; If-Modified-Since only without it.
    if request.if_none_match:
        return request.if_none_match.contains_weak(state.etag)
    since = request.if_modified_since
    return since is not None and state.last_modified <= since


def _feed_response(state, build, filename: str, *, private: bool) -> Response:
    """A 304 from the aggregate alone, or the built feed, with validators."""
    # The validators written out once, not through the response's properties
    # (the Cache-Control one rewrote its header at each of three settings):
    # the same headers, a third of the 304's own time (bench_feeds profile).
    headers = {
        "ETag": quote_etag(state.etag),
        "Last-Modified": http_date(state.last_modified),
        # Clients may keep a copy but must ask again; the 304 makes asking cheap.
        "Cache-Control": "no-cache, private" if private else "no-cache, public",
    }
    if _not_modified(state):
        return Response(status=304, headers=headers)
    headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return Response(build(state), headers=headers, content_type=ICS_TYPE)


def _state(key, read) -> services.FeedState | None:
    """The feed's state: a recently read one when it confirms the client's copy
    (a 304 without a query), else from the database."""
    lifetime = current_app.config["CALENDAR_FEED_STATE_SECONDS"]
    state = recent_states.get(key, lifetime) if lifetime > 0 else None
    if state is not None and _not_modified(state):
        return state
    state = read()
    if state is not None and lifetime > 0:
        recent_states.put(key, state)
    return state


@bp.route("/kalender/udbyder/<int:provider_id>.ics")
def provider_feed(provider_id: int):
    state = _state(
        ("provider", provider_id), lambda: services.provider_feed_state(provider_id)
    )
    if state is None:
        abort(404)
    return _feed_response(
        state, _kept_provider_feed, f"udbyder-{provider_id}.ics", private=False
    )


def _kept_provider_feed(state: services.FeedState) -> bytes:
    # Built once a state per worker: every calendar subscribed to a provider
    # asks for the same bytes until something in them changes.
    return kept_or_built(
        ("provider", state.owner_id), state.etag, lambda: services.provider_feed(state)
    )


@bp.route("/kalender/personlig/<secret>.ics")
def personal_feed(secret: str):
    state = _state(("person", secret), lambda: services.personal_feed_state(secret))
    if state is None:
        abort(404)
    return _feed_response(state, _kept_personal_feed, "mine-kurser.ics", private=True)


def _kept_personal_feed(state: services.FeedState) -> bytes:
    # As the provider's: a calendar program that sends no validators asks for
    # the same bytes until the person's bookings or their meetings change.
    return kept_or_built(
        ("person", state.owner_id),
        state.etag,
        lambda: services.personal_feed(state, committed=True),
    )


def links_for(endpoint: str, **values) -> dict[str, str]:
    https = url_for(endpoint, _external=True, **values)
    return {"https": https, "webcal": "webcal://" + https.split("://", 1)[1]}


@bp.route("/kalender/")
@login_required
def index():
    require(can_use_personal_calendar(current_user))
    token = services.feed_token(current_user)
    links = links_for(".personal_feed", secret=token.secret) if token else None
    return render_template(
        "courses/calendars/index.html",
        token=token,
        links=links,
        feed_url=links["https"] if links else None,
        form=ConfirmForm(),
    )


@bp.route("/kalender/link", methods=["POST"])
@login_required
def regenerate():
    require(can_use_personal_calendar(current_user))
    if ConfirmForm().validate_on_submit():
        had_one = services.feed_token(current_user) is not None
        user = current_user._get_current_object()
        services.regenerate_token(user, user)
        db.session.commit()
        if had_one:
            flash(
                _("You have a new calendar link. The old link no longer works."),
                "success",
            )
        else:
            flash(_("Your calendar link is ready. Add it to your calendar."), "success")
    return redirect(url_for(".index"))


@bp.route("/kalender/link/slet", methods=["POST"])
@login_required
def revoke():
    require(can_use_personal_calendar(current_user))
    if ConfirmForm().validate_on_submit():
        user = current_user._get_current_object()
        services.revoke_token(user, user)
        db.session.commit()
        flash(_("Your calendar link is deleted and no longer works."), "success")
    return redirect(url_for(".index"))


@bp.route("/kalender/tilmelding/<int:booking_id>.ics")
@login_required
def booking(booking_id: int):
    # The file is named after the course: with the booking, in one query.
    booking = db.get_or_404(
        Booking,
        booking_id,
        options=[joinedload(Booking.course_session).joinedload(CourseSession.course)],
    )
    require(can_download_booking(current_user, booking))
    response = Response(services.booking_ics(booking), mimetype="text/calendar")
    response.content_type = ICS_TYPE
    response.headers["Content-Disposition"] = (
        f'attachment; filename="tilmelding-{booking.id}.ics"'
    )
    return response
