"""The Danish words for the plans' states, kinds and funding."""

from flask_babel import lazy_gettext as _l

from learning.plans.models import (
    ActivityKind,
    ActivityStatus,
    AimsMet,
    Funding,
    PlanStatus,
)

STATUS_LABELS = {
    PlanStatus.draft: _l("Draft"),
    PlanStatus.submitted: _l("Submitted"),
    PlanStatus.returned: _l("Returned"),
    PlanStatus.approved: _l("Approved"),
    PlanStatus.completed: _l("Completed"),
}
KIND_LABELS = {
    ActivityKind.course: _l("Course"),
    ActivityKind.diploma_module: _l("Diploma module"),
    ActivityKind.internal: _l("Internal learning with a colleague"),
    ActivityKind.reading: _l("Reading"),
    ActivityKind.seminar: _l("Seminar or network meeting"),
    ActivityKind.other: _l("Other activity"),
}
FUNDING_LABELS = {
    Funding.budget: _l("The team's budget"),
    Funding.fund: _l("Den Kommunale Kompetencefond"),
    Funding.free: _l("Free"),
}
ACTIVITY_STATUS_LABELS = {
    ActivityStatus.planned: _l("Planned"),
    ActivityStatus.completed: _l("Completed"),
    ActivityStatus.dropped: _l("Dropped"),
}
AIMS_LABELS = {
    AimsMet.met: _l("The aims were met"),
    AimsMet.partly: _l("The aims were partly met"),
    AimsMet.not_met: _l("The aims were not met"),
}
