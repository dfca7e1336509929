""" "Forslag til dig": one person's ranked sessions, and the team view."""

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required
from sqlalchemy.orm import lazyload

from core.db import db
from core.people.models import User
from core.permissions import require
from core.registry import page_sections_for
from learning.assessments.overview import led_teams, team_members
from learning.assessments.permissions import can_manager_assess
from learning.assessments.services import never_assessed
from learning.competences.labels import KIND_LABELS
from learning.competences.models import Area, CompetenceKind
from learning.matching import person_page, presenting, team_page
from learning.matching.errors import FilterError
from learning.matching.filters import Query, parse
from learning.matching.permissions import (
    can_see_suggestions,
    can_see_team_suggestions,
)
from learning.picker_views import chosen_unit

bp = Blueprint("matching", __name__, url_prefix="/forslag")


def _query(areas: list[Area]) -> Query:
    try:
        return parse(request.args, area_ids={a.id for a in areas})
    except FilterError as exc:
        abort(400, description=str(exc))


def _areas() -> list[Area]:
    return list(db.session.scalars(db.select(Area).order_by(Area.title)))


@bp.route("")
@login_required
def suggestions():
    return _render_person(current_user)


@bp.route("/personer/<int:person_id>")
@login_required
def person(person_id: int):
    # the page shows the person's suggestions, not their roles
    person = db.get_or_404(User, person_id, options=[lazyload(User.role_rows)])
    require(can_see_suggestions(current_user, person))
    return _render_person(person)


def _render_person(person: User):
    areas = _areas()
    query = _query(areas)
    # The places to choose from are those of the unfiltered list.
    found = person_page.suggestion_page(
        person, query.filters, query.page, size=presenting.PAGE_SIZE
    )
    page = presenting.Page([], query.page, found.total)
    if query.page > page.pages:
        abort(404)
    page.items = presenting.rows_for(
        person, found.items, found.competences, (found.sessions, found.queues)
    )
    return render_template(
        "learning/matching/suggestions.html",
        person=person,
        own=person.id == current_user.id,
        page=page,
        query=query,
        areas=areas,
        kinds=[(k.value, KIND_LABELS[k]) for k in CompetenceKind],
        places=found.places,
        open_gaps=found.open_gaps,
        not_assessed=person.id in never_assessed([person.id]),
        can_assess=can_manager_assess(current_user, person),
        # What other areas add beside the sessions (specialist knowledge items).
        sections=page_sections_for("suggestions", current_user, person),
    )


@bp.route("/team")
@login_required
def team():
    require(can_see_team_suggestions(current_user))
    teams = led_teams(current_user, everyone=current_user.is_admin)
    if not teams:
        abort(404)
    areas = _areas()
    query = _query(areas)
    chosen = chosen_unit(teams, "team")
    require(can_see_team_suggestions(current_user, chosen))
    members = team_members(chosen)
    found = team_page.shared_page(members, query.filters, query.page)
    page = found.page
    if page is None:
        abort(404)
    page.items = presenting.team_rows(
        page.items, {m.id: m for m in members}, found.competences
    )
    return render_template(
        "learning/matching/team.html",
        teams=teams,
        unit=chosen,
        members=members,
        page=page,
        query=query,
        areas=areas,
        kinds=[(k.value, KIND_LABELS[k]) for k in CompetenceKind],
        places=sorted({place.strip() for place in found.places} - {""}),
        counts=found.counts,
        not_assessed=never_assessed(m.id for m in members),
    )
