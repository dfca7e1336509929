"""Internal learning pages: the jobcentre's offers, a new offer, an offer with its
participants, the learner's reflection and the host's sign-off."""

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from core.db import db, utcnow
from core.people.models import User
from core.permissions import require
from courses.bookings import services as bookings
from courses.bookings.errors import BookingError
from courses.bookings.models import Booking
from courses.bookings.page_data import SessionActions, course_page
from courses.sessions.forms import CancelForm
from courses.sessions.models import CourseSession, SessionStatus
from courses.sessions.services import MeetingInput
from learning.competences.forms import competence_choices
from learning.competences.models import Competence
from learning.internal import offer_reads, rules, services
from learning.internal.errors import InternalError
from learning.internal.forms import (
    KIND_LABELS,
    ActionForm,
    OfferForm,
    ReflectionForm,
)
from learning.internal.models import InternalOffer, OfferKind
from learning.internal.permissions import (
    can_manage_offer,
    can_reflect,
    can_sign_off,
    can_use_internal_learning,
)
from learning.matching.models import CourseCompetence

bp = Blueprint("internal", __name__, url_prefix="/intern-laering")

LINK_LEVEL = 3  # an offer develops its competences to Beherske


def refuse(message: str, status: int):
    """A Danish message and a 4xx; nothing of the attempt is kept."""
    db.session.rollback()
    return render_template("learning/internal/refused.html", message=message), status


# Refusals caused by what was typed; the others are the state of things (409).
BAD_INPUT = frozenset({"reflection_length", "bad_capacity", "bad_days", "date_in_past"})


def _error(exc: InternalError | BookingError):
    status = 403 if exc.code == "not_allowed" else 409
    return refuse(str(exc), 400 if exc.code in BAD_INPUT else status)


def _offers_query():
    return sa.select(InternalOffer).options(
        joinedload(InternalOffer.host).lazyload(User.role_rows),  # names only
        joinedload(InternalOffer.course_session).joinedload(CourseSession.course),
        joinedload(InternalOffer.course_session).selectinload(CourseSession.meetings),
    )


def _links(offers) -> dict[int, list[Competence]]:
    """The competences each offer's course develops: one query."""
    course_ids = [o.course_session.course_id for o in offers]
    result: dict[int, list[Competence]] = {}
    for course_id, competence in db.session.execute(
        sa.select(CourseCompetence.course_id, Competence)
        .join(Competence, Competence.id == CourseCompetence.competence_id)
        .where(CourseCompetence.course_id.in_(course_ids))
        .order_by(Competence.code)
    ):
        result.setdefault(course_id, []).append(competence)
    return result


def _open_in(offer: InternalOffer, jobcentre, now) -> bool:
    """The offer is open in the jobcentre (the index's first condition)."""
    cs = offer.course_session
    return (
        jobcentre is not None
        and offer.jobcentre_id == jobcentre.id
        and cs.status is SessionStatus.open
        and cs.ends_at is not None
        and cs.ends_at > now
    )


def _start(offer: InternalOffer) -> float:
    starts = offer.course_session.starts_at
    return starts.timestamp() if starts is not None else float("-inf")


@bp.route("")
@login_required
def index():
    require(can_use_internal_learning(current_user))
    jobcentre = services.jobcentre_of(current_user)
    now = utcnow()
    # The jobcentre's open offers and the person's own, in one query.
    open_here = sa.and_(
        InternalOffer.jobcentre_id == (jobcentre.id if jobcentre else None),
        CourseSession.status == SessionStatus.open,
        CourseSession.ends_at > now,
    )
    offers = list(
        db.session.scalars(
            _offers_query()
            .join(InternalOffer.course_session)
            .where(sa.or_(open_here, InternalOffer.host_id == current_user.id))
            .order_by(CourseSession.starts_at, InternalOffer.id)
        ).unique()
    )
    upcoming = [o for o in offers if _open_in(o, jobcentre, now)]
    # The person's own offers, the latest first.
    hosted = [o for o in offers if o.host_id == current_user.id]
    hosted.sort(key=_start, reverse=True)
    return render_template(
        "learning/internal/index.html",
        offers=upcoming,
        hosted=hosted,
        links=_links(upcoming + hosted),
        kinds=KIND_LABELS,
        jobcentre=jobcentre,
    )


@bp.route("/ny", methods=["GET", "POST"])
@login_required
def new():
    require(can_use_internal_learning(current_user))
    form = OfferForm()
    form.competences.choices = competence_choices()
    status = 200
    if form.validate_on_submit():
        days = [
            MeetingInput(day, form.start.data, form.end.data, form.location.data or "")
            for day in form.days()
        ]
        try:
            offer = services.create_offer(
                current_user,
                kind=OfferKind(form.kind.data),
                title=form.title.data,
                description=form.description.data or "",
                location=form.location.data or "",
                days=days,
                capacity=form.capacity.data,
                competences={cid: LINK_LEVEL for cid in form.competences.data},
                needs_approval=form.needs_approval.data,
            )
        except InternalError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
            status = 400 if exc.code != "not_allowed" else 403
        else:
            db.session.commit()
            flash(_("Your offer is published."), "success")
            return redirect(url_for("learning.internal.detail", offer_id=offer.id))
    elif form.is_submitted():
        status = 400
    return render_template("learning/internal/new.html", form=form), status


@bp.route("/<int:offer_id>")
@login_required
def detail(offer_id: int):
    offer, links = offer_reads.offer_page(offer_id)
    if offer is None:
        abort(404)
    require(
        can_use_internal_learning(current_user) or can_manage_offer(current_user, offer)
    )
    cs = offer.course_session
    rules.note_offer(offer)  # the booking option's approval rule asks for it
    participants = []
    if can_manage_offer(current_user, offer):
        participants = bookings.participants_of(cs)
    # The booking buttons are for everyone but the host (the page shows the
    # host none); the reflections only where a booking shows one.
    hosting = current_user.id == offer.host_id
    actions = SessionActions()
    if not hosting:
        shares = course_page(current_user, cs.course, {"course_sessions": [cs]})
        actions = shares["booking_actions"]
    mine = actions.bookings.get(cs.id)
    completions, places = {}, {}
    if mine or participants:
        completions, places = offer_reads.completions_and_places(cs)
    return render_template(
        "learning/internal/detail.html",
        offer=offer,
        course_session=cs,
        links=links,
        kinds=KIND_LABELS,
        participants=participants,
        positions=places,
        mine=mine,
        booking_actions=actions,
        completions=completions,
        reflection_form=ReflectionForm(),
        begun=cs.starts_at is not None and cs.starts_at <= utcnow(),
        can_sign_off=can_sign_off(current_user, offer),
    )


def _booking(booking_id: int) -> tuple[Booking, InternalOffer]:
    booking = db.get_or_404(Booking, booking_id)
    try:
        offer = services.offer_for(booking)
    except InternalError:
        abort(404)
    return booking, offer


@bp.route("/tilmelding/<int:booking_id>/refleksion", methods=["POST"])
@login_required
def reflect(booking_id: int):
    booking, offer = _booking(booking_id)
    require(can_reflect(current_user, booking))
    form = ReflectionForm()
    if not form.validate_on_submit():
        message = " ".join(e for errors in form.errors.values() for e in errors)
        return refuse(message or _("The form was incomplete."), 400)
    try:
        services.write_reflection(current_user, booking, form.reflection.data)
    except InternalError as exc:
        return _error(exc)
    db.session.commit()
    flash(
        _("Your reflection is saved. The host has been asked to sign off."), "success"
    )
    return redirect(url_for("learning.internal.detail", offer_id=offer.id))


@bp.route("/tilmelding/<int:booking_id>/godkend", methods=["POST"])
@login_required
def sign_off(booking_id: int):
    booking, offer = _booking(booking_id)
    require(can_sign_off(current_user, offer))
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        services.sign_off(current_user, booking)
    except (InternalError, BookingError) as exc:
        return _error(exc)
    db.session.commit()
    flash(_("%(person)s has completed the offer.", person=booking.user.name), "success")
    return redirect(url_for("learning.internal.detail", offer_id=offer.id))


@bp.route("/<int:offer_id>/aflys", methods=["GET", "POST"])
@login_required
def cancel(offer_id: int):
    """Ask first (this page, or the dialog on the offer's page), then call the
    offer off with the reason those booked are told."""
    offer = db.get_or_404(
        InternalOffer,
        offer_id,
        # the page names the course (courses/sessions/_cancel.html)
        options=[
            joinedload(InternalOffer.course_session).joinedload(CourseSession.course)
        ],
    )
    require(can_manage_offer(current_user, offer))
    called_off = offer.course_session.status is SessionStatus.cancelled
    if called_off and request.method == "POST":
        return refuse(_("The offer is already called off."), 409)
    form = CancelForm()
    if form.validate_on_submit():
        services.cancel_offer(current_user, offer, reason=form.reason.data)
        db.session.commit()
        flash(_("The offer is called off and those booked are told."), "success")
        return redirect(url_for("learning.internal.index"))
    return render_template(
        "learning/internal/cancel.html",
        offer=offer,
        course_session=offer.course_session,
        called_off=called_off,
        form=form,
    ), (400 if request.method == "POST" else 200)
