"""Learning listens to courses: a completed booking leaves dated evidence."""

from courses.signals import booking_completed
from learning.matching import evidence


@booking_completed.connect
def _write_evidence(booking, **kwargs):
    evidence.record_completion(booking)
