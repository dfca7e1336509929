"""How the development side's tables hold personal data
(core.registry.PersonalData): what a person's copy holds, and what erasing a
person empties or deletes.

Ratings, evidence and plans stay when a person is erased, without their free
text and pointing at the anonymised account, so statistics still add up.
"""

from flask import Flask
from flask_babel import lazy_gettext as _l

from core.registry import PersonalData, add_personal_data

RULES = (
    PersonalData(
        "user_profiles",
        _l("Your job functions (competence profiles)."),
        subject="user_id",
    ),
    PersonalData(
        "assessment_rounds",
        _l("Your assessment rounds: when, by whom."),
        subject="person_id",
        actors=("rated_by_id",),
    ),
    PersonalData(
        "ratings",
        _l("Your ratings: your own, your manager's and the agreed levels."),
        subject="person_id",
        free_text=("comment",),
    ),
    PersonalData(
        "evidence",
        _l("Evidence on your profile: completed courses and job shadowing."),
        subject="person_id",
        plain=("title",),  # the course's title
    ),
    PersonalData(
        "plans",
        _l("Your development plans and talks."),
        subject="owner_id",
        actors=("decided_by_id",),
        # A unit plan has no owner: its aims and report are the unit's, and
        # only a person's name in them is replaced when that person is erased.
        free_text=(
            "title",
            "wishes",
            "employee_note",
            "manager_note",
            "talk_summary",
            "aims",
            "strategy",
            "responsible",
            "status_report",
            "decision_comment",
        ),
    ),
    PersonalData(
        "plan_goals",
        _l("The goals of your development plans."),
        parent=("plan_id", "plans"),
        free_text=("text",),
        # A goal in words must have words (a check constraint): it keeps a mark.
        erased_text={"text": _l("(erased)")},
    ),
    PersonalData(
        "plan_activities",
        _l("The activities of your plans, and plans you take part in as colleague."),
        parent=("plan_id", "plans"),
        actors=("colleague_id",),
        free_text=("title", "description"),
    ),
    PersonalData(
        "plan_decisions",
        _l("Decisions on your development plans, and those you made."),
        parent=("plan_id", "plans"),
        actors=("actor_id",),
        free_text=("comment",),
        plain=("action",),
    ),
    PersonalData(
        "internal_offers",
        _l("Internal learning you offer colleagues."),
        subject="host_id",
    ),
    PersonalData(
        "internal_offer_completions",
        _l("Your reflections on internal learning, and those you signed off."),
        parent=("booking_id", "bookings"),
        actors=("signed_off_by_id",),
        free_text=("reflection",),
    ),
    PersonalData(
        "mentor_requests",
        _l("Sparring requests you have sent or received."),
        subject="requester_id",
        actors=("mentor_id",),
        # The message and the reply are the two people's conversation: either
        # one's erasure empties both.
        text_of=("mentor_id",),
        free_text=("message", "reply"),
    ),
    PersonalData(
        "mentor_opt_outs",
        _l("That you do not want to be suggested as a sparring partner."),
        subject="user_id",
        on_erase="delete",
    ),
)


def init_app(app: Flask) -> None:
    add_personal_data(app, *RULES)
