"""Bookings react to their sessions and to completion: more seats go to the
waiting list as offers at once, a cancelled session cancels its bookings, and a
completed diploma module is passed in the person's diploma progress (its ECTS
then count)."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from core import clock
from core.audit import record
from core.db import db
from core.notifications.services import in_language_of, notify
from courses.bookings import notices, services
from courses.bookings.models import Booking, BookingStatus
from courses.diplomas import services as diplomas
from courses.diplomas.models import (
    EARNED,
    DiplomaModule,
    ModuleProgress,
    ModuleStatus,
)
from courses.sessions.models import CourseSession
from courses.signals import (
    booking_completed,
    session_cancelled,
    session_capacity_changed,
    session_changed,
)

_RECORD_IT = (
    _l("Diploma module completed: %(person)s, %(course)s"),
    _l(
        "%(person)s has completed %(course)s, a module of %(diploma)s. Record the "
        "module as passed in the diploma progress, so its ECTS count."
    ),
)


@session_changed.connect
def _tell_those_booked(sender, **kwargs):
    """Times, place or status moved: those holding a seat get the new invitation."""
    if not isinstance(sender, CourseSession):
        return
    holders = db.session.scalars(
        sa.select(Booking).where(
            Booking.course_session_id == sender.id,
            Booking.status.in_([BookingStatus.confirmed, BookingStatus.offered]),
        )
    ).all()
    for booking in holders:
        notices.tell_changed(booking)
    services.fill_offers(sender)


@session_capacity_changed.connect
def _offer_new_seats(sender, **kwargs):
    """More seats: the first in line are offered them in the provider's change."""
    if isinstance(sender, CourseSession):
        services.fill_offers(sender)


@session_cancelled.connect
def _cancel_bookings(sender, reason: str = "", **kwargs):
    """Everyone booked is cancelled and told the provider's reason."""
    if isinstance(sender, CourseSession):
        services.cancel_for_session(sender, reason=reason)


@booking_completed.connect
def _pass_diploma_modules(booking, actor=None, **kwargs):
    """Pass the module through the diplomas service; where its rules do not let the
    provider record results, the person's manager is asked to, and it is audited."""
    person = booking.user
    modules = db.session.scalars(
        sa.select(DiplomaModule).where(
            DiplomaModule.course_id == booking.course_session.course_id
        )
    ).all()
    for module in modules:
        current = db.session.scalar(
            sa.select(ModuleProgress.status).where(
                ModuleProgress.user_id == person.id,
                ModuleProgress.module_id == module.id,
            )
        )
        if current in EARNED:
            continue
        try:
            diplomas.set_status(
                actor, person, module, ModuleStatus.passed, completed_on=clock.today()
            )
        except diplomas.DiplomaError as exc:
            record(
                actor,
                "booking.module_completed",
                booking,
                after={"module_id": module.id, "recorded": False},
                reason=exc.code,
            )
            _ask_manager(booking, module)


def _ask_manager(booking, module: DiplomaModule) -> None:
    params = {
        "person": booking.user.name,
        "course": booking.course_session.course.title,
        "diploma": module.diploma.title,
    }
    for manager in notices.approvers_of(booking.user):
        with in_language_of(manager):
            subject, body = (str(text) % params for text in _RECORD_IT)
            notify(manager, subject, body)
