"""What assessments tell later areas (plans, matching): sent after the state change,
with the assessment round as sender."""

from blinker import Namespace

_signals = Namespace()

# A round of ratings was stored: gaps (and so suggestions) may have changed.
assessment_saved = _signals.signal("assessment-saved")
