"""What an area of courses/ tells the areas above it, and learning, without
importing them. Every signal is sent after the state change, with the object as
sender.

Who listens today: courses.bookings.handlers to session_changed,
session_capacity_changed and session_cancelled (sent by sessions and the
calendar import) and to booking_completed (diploma modules); learning.matching
to booking_completed (evidence). booking_requested, booking_confirmed and
booking_cancelled are sent by bookings.lifecycle for whoever subscribes next.
"""

from blinker import Namespace

_signals = Namespace()

booking_requested = _signals.signal("booking-requested")
booking_confirmed = _signals.signal("booking-confirmed")
booking_cancelled = _signals.signal("booking-cancelled")
booking_completed = _signals.signal("booking-completed")
session_changed = _signals.signal("session-changed")
session_cancelled = _signals.signal("session-cancelled")
# The number of seats changed (sessions -> bookings: more seats reach the queue).
session_capacity_changed = _signals.signal("session-capacity-changed")
