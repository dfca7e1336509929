"""How the development side's tables hold personal data
(core.registry.PersonalData): what a person's copy holds, and what erasing a
person empties or deletes; and `flask learning purge`, which removes what is
older than its retention period.

Ratings, evidence and plans stay when a person is erased, without their free
text and pointing at the anonymised account, so statistics still add up.
"""

from datetime import datetime

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from core.audit import purge_details
from core.clock import COPENHAGEN, now
from core.db import db, write_intent
from core.registry import PersonalData, add_personal_data
from learning.assessments.models import AssessmentRound, Rating
from learning.matching.models import Evidence

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
        actors=("colleague_id", "completed_by_id"),
        free_text=("title", "description", "completion_note"),
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


def purge_ratings(older_than: datetime) -> int:
    """Delete ratings from before `older_than` that a newer rating of the same
    kind (person, competence, source) replaces: the newest stays, as it is the
    person's level. Rounds left without ratings go too. Returns ratings deleted."""
    newer = aliased(Rating)
    replaced = (
        sa.select(newer.id)
        .where(
            newer.person_id == Rating.person_id,
            newer.competence_id == Rating.competence_id,
            newer.source == Rating.source,
            sa.or_(
                newer.rated_at > Rating.rated_at,
                sa.and_(newer.rated_at == Rating.rated_at, newer.id > Rating.id),
            ),
        )
        .exists()
    )
    # Core statements: ratings refuse ORM changes (append-only), and retention is,
    # with erasure, the one change the law asks of them.
    deleted = db.session.execute(
        sa.delete(Rating).where(Rating.rated_at < older_than, replaced),
        execution_options={"synchronize_session": False},
    ).rowcount
    db.session.execute(
        sa.delete(AssessmentRound).where(
            AssessmentRound.rated_at < older_than,
            ~sa.select(Rating.id).where(Rating.round_id == AssessmentRound.id).exists(),
        ),
        execution_options={"synchronize_session": False},
    )
    return deleted


def purge_evidence(older_than: datetime) -> int:
    """Delete evidence of what happened before `older_than` (a Copenhagen day)."""
    day = older_than.astimezone(COPENHAGEN).date()
    return db.session.execute(
        sa.delete(Evidence).where(Evidence.occurred_on < day),
        execution_options={"synchronize_session": False},
    ).rowcount


def purge(moment: datetime) -> dict[str, int]:
    """Apply the configured retention periods as of `moment`; flushes, the
    caller commits."""
    config = current_app.config
    return {
        "ratings": purge_ratings(moment - config["RATING_RETENTION"]),
        "evidence": purge_evidence(moment - config["EVIDENCE_RETENTION"]),
        "audit": purge_details(moment - config["AUDIT_DETAIL_RETENTION"]),
    }


@click.command("purge")
@with_appcontext
def purge_command():
    """Remove ratings, evidence and audit details past their retention (cron)."""
    with write_intent():
        counts = purge(now())
        db.session.commit()
    click.echo(
        f"{counts['ratings']} rating(s) and {counts['evidence']} piece(s) of "
        f"evidence deleted, {counts['audit']} audit event(s) emptied of details."
    )


def learning_group(app: Flask) -> click.Group:
    """The `flask learning` group; whichever area comes first creates it."""
    group = app.cli.commands.get("learning")
    if group is None:
        group = AppGroup("learning", help="Competences, ratings, plans and reports.")
        app.cli.add_command(group)
    return group


def init_app(app: Flask) -> None:
    add_personal_data(app, *RULES)
    learning_group(app).add_command(purge_command)
