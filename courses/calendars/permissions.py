"""Who may read which calendar, and who may import into a provider's calendar."""

from core.people.models import User
from courses.bookings.models import Booking
from courses.catalogue.models import Provider
from courses.catalogue.permissions import can_manage_provider


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_use_personal_calendar(user) -> bool:
    """Everyone signed in has a personal calendar feed of their own."""
    return _signed_in(user)


def can_download_booking(user, booking: Booking) -> bool:
    """The booked person and admins may download a booking's .ics."""
    return _signed_in(user) and (user.is_admin or booking.user_id == user.id)


def can_import_calendar(user, provider: Provider) -> bool:
    """Admins, and the provider's own staff, may import into its calendar."""
    return can_manage_provider(user, provider)


def can_register_feed(user: User, provider: Provider) -> bool:
    """Only admins register a provider's remote feed: the server will fetch it."""
    return _signed_in(user) and user.is_admin
