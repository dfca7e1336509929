"""How the supply side's tables hold personal data (core.registry.PersonalData):
what a person's copy holds, and what erasing a person empties or deletes.

Bookings, budgets and interest stay when a person is erased, pointing at the
anonymised account, so seat counts, spend and demand still add up.
"""

from flask import Flask
from flask_babel import lazy_gettext as _l

from core.registry import PersonalData, add_personal_data

RULES = (
    PersonalData(
        "provider_members",
        _l("The course providers you work for."),
        subject="user_id",
        on_erase="delete",
    ),
    PersonalData(
        "bookings",
        _l("Your bookings and waiting-list places, and the decisions on them."),
        subject="user_id",
        actors=("decided_by_id",),
        free_text=("decision_comment",),
        plain=("approval_reason", "skip_reason"),  # written by the booking rules
    ),
    PersonalData(
        "course_interests",
        _l("Courses you have declared an interest in."),
        subject="user_id",
    ),
    PersonalData(
        "prerequisite_waivers",
        _l("Prerequisites your manager waived for you."),
        subject="user_id",
        actors=("granted_by_id",),
        free_text=("reason",),
    ),
    PersonalData("budgets", _l("Budgets you have set."), actors=("set_by_id",)),
    PersonalData(
        "diploma_enrolments",
        _l("The diploma programmes you follow."),
        subject="user_id",
    ),
    PersonalData(
        "module_progress",
        _l("Your progress in diploma modules."),
        subject="user_id",
        actors=("changed_by_id",),
        free_text=("note",),
    ),
    PersonalData(
        "calendar_tokens",
        _l("Your personal calendar feed."),
        subject="user_id",
        left_out={"secret": "a secret: it opens the person's calendar feed"},
        on_erase="delete",
    ),
    PersonalData(
        "calendar_imports",
        _l("Calendar files you have imported for a course provider."),
        actors=("uploaded_by_id",),
        plain=("source", "filename", "sha256"),
        left_out={
            "data": "the provider's calendar file: about courses, not the person "
            "(its name and checksum are in the copy)"
        },
    ),
)


def init_app(app: Flask) -> None:
    add_personal_data(app, *RULES)
