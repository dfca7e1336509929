"""The plan's life cycle as data, read by one applier (as the bookings' table in
courses/bookings/transitions.py): each transition names its sources, target and
who may make it. The database decides a race: the state changes by a
conditional UPDATE, so of two managers approving at once exactly one wins."""

from dataclasses import dataclass

import sqlalchemy as sa

from core.audit import record
from core.db import db, utcnow
from core.people.models import User
from learning.plans import parties
from learning.plans.errors import PlanError
from learning.plans.labels import STATUS_LABELS
from learning.plans.models import Plan, PlanDecision
from learning.plans.models import PlanStatus as S
from learning.plans.parties import Party


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[S]
    target: S
    parties: frozenset[Party]
    needs_comment: bool = False


def _t(name, sources, target, who, needs_comment=False) -> Transition:
    return Transition(name, frozenset(sources), target, frozenset(who), needs_comment)


_OWNER, _APPROVER, _EDITOR = Party.owner, Party.approver, Party.editor

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        _t("submit", {S.draft, S.returned}, S.submitted, {_OWNER, _EDITOR}),
        # The owner takes a submitted plan back to change it before the decision.
        _t("withdraw", {S.submitted}, S.draft, {_OWNER, _EDITOR}),
        _t("approve", {S.submitted}, S.approved, {_APPROVER}),
        _t("return", {S.submitted}, S.returned, {_APPROVER}, needs_comment=True),
        _t("complete", {S.approved}, S.completed, {_OWNER, _EDITOR, _APPROVER}),
    )
}


def allowed(name: str, actor: User, plan: Plan) -> bool:
    """May `actor` make transition `name` from the plan's state?"""
    t = TRANSITIONS[name]
    return plan.status in t.sources and bool(t.parties & parties.of(actor, plan))


def check(name: str, actor: User, plan: Plan, comment: str = "") -> Transition:
    """Raise PlanError unless `actor` may make transition `name` now."""
    t = TRANSITIONS[name]
    if not t.parties & parties.of(actor, plan):
        raise PlanError("not_allowed")
    if plan.status not in t.sources:
        raise PlanError("wrong_state", status=status_label(plan.status))
    if t.needs_comment and not comment.strip():
        raise PlanError("return_needs_comment", field="comment")
    return t


def apply(name: str, actor: User, plan: Plan, *, comment: str = "") -> PlanDecision:
    """Move the plan, if it is still where the actor saw it, and keep the step in
    its history and the audit trail. Side effects are the caller's (services)."""
    t = check(name, actor, plan, comment)
    source = plan.status
    now = utcnow()
    moved = db.session.execute(
        sa.update(Plan)
        .where(Plan.id == plan.id, Plan.status == source)
        .values(status=t.target)
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        db.session.refresh(plan)
        raise PlanError("already_decided", status=status_label(plan.status))
    plan.status = t.target
    # The UPDATE already wrote it; mark it clean so the flush does not write it again.
    db.session.flush()
    decision = PlanDecision(
        plan=plan,
        action=name,
        source=source,
        target=t.target,
        actor_id=actor.id,
        at=now,
        comment=comment.strip(),
    )
    db.session.add(decision)
    if t.target in (S.approved, S.returned):
        plan.decided_by_id, plan.decided_at = actor.id, now
        plan.decision_comment = comment.strip()
    elif t.target is S.submitted:
        plan.submitted_at = now
    elif t.target is S.completed:
        plan.completed_at = now
    db.session.flush()
    record(
        actor,
        f"plan.{name}",
        plan,
        before={"status": source.value},
        after={"status": t.target.value},
        reason=comment.strip(),
    )
    return decision


def status_label(status: S) -> str:
    return str(STATUS_LABELS[status]).lower()
