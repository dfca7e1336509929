"""What the supply side tells the rest of the product; learning subscribes.

Every signal is sent after the state change, with the object as sender.
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
