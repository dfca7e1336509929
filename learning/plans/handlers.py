"""What the plans do when a booking moves: completed bookings complete their
activities (internal learning too: the host's sign-off completes the booking),
and a cancelled booking of an approved plan drops its activity."""

from courses import signals
from learning.plans import decisions


@signals.booking_completed.connect
def _complete_activities(booking, **kwargs) -> None:
    decisions.complete_activities_for_booking(booking)


@signals.booking_cancelled.connect
def _drop_activities(booking, **kwargs) -> None:
    decisions.drop_activities_for_booking(booking)
