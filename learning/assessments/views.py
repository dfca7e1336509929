"""Self, manager and agreed assessment, the profile page and the heat maps."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import lazyload

from core.db import db
from core.people.models import OrgUnit, UnitKind, User
from core.people.services import managed_team_ids
from core.permissions import require
from learning.assessments import services
from learning.assessments.charts import profile_chart
from learning.assessments.errors import AssessmentError
from learning.assessments.forms import assessment_form
from learning.assessments.history import rating_history
from learning.assessments.links import (
    column_sort_urls,
    manager_actions,
    person_urls,
)
from learning.assessments.models import RatingSource
from learning.assessments.overview import (
    heat_map,
    jobcentre_members,
    led_teams,
    profile_overview,
    ratings_and_comments,
    team_members,
)
from learning.assessments.permissions import (
    can_manager_assess,
    can_self_assess,
    can_set_agreed,
    can_view_jobcentre_map,
    can_view_ratings,
    can_view_team_map,
)
from learning.competences import services as framework
from learning.competences.labels import localised
from learning.competences.models import Layer
from learning.picker_views import chosen_unit

bp = Blueprint("assessments", __name__, url_prefix="/kompetencer/vurdering")

GUARDS = {
    RatingSource.self: can_self_assess,
    RatingSource.manager: can_manager_assess,
    RatingSource.agreed: can_set_agreed,
}
# The assessment page's URL names its kind in Danish: /personer/7/leder.
URL_SOURCES = {
    "selv": RatingSource.self,
    "leder": RatingSource.manager,
    "aftalt": RatingSource.agreed,
}
SORTS = ("gap", "name")


@bp.route("/profil")
@login_required
def my_profile():
    return _render_profile(current_user)


@bp.route("/personer/<int:person_id>/profil")
@login_required
def profile(person_id: int):
    person = db.get_or_404(User, person_id)
    require(can_view_ratings(current_user, person))
    return _render_profile(person)


def _render_profile(person: User):
    scale = framework.get_scale()
    ratings = rating_history(person, scale)
    overview = profile_overview(person, rating_rows=ratings.rating_rows, scale=scale)
    evidence = services.evidence_for(person.id)
    return render_template(
        "learning/assessments/profile.html",
        overview=overview,
        chart=profile_chart(overview),
        history=ratings.by_competence,
        layers=list(Layer),
        evidence=evidence,
        other_evidence=services.evidence_without(
            evidence, (row.competence.id for row in overview.rows)
        ),
    )


@bp.route("/selv")
@login_required
def self_assessment():
    return redirect(url_for(".assess", person_id=current_user.id, source="selv"))


@bp.route("/personer/<int:person_id>/<source>", methods=["GET", "POST"])
@login_required
def assess(person_id: int, source: str):
    """One area (section) at a time, each saved as its own dated round; a POST
    without a section saves every competence in one round."""
    # The person's name and team, not their roles (the guards ask the user's).
    person = db.session.get(User, person_id, options=[lazyload(User.role_rows)])
    if person is None:
        abort(404)
    rating_source = URL_SOURCES.get(source)
    if rating_source is None:
        abort(404)
    require(GUARDS[rating_source](current_user, person))
    rating_rows, comments = ratings_and_comments(person, rating_source)
    overview = profile_overview(person, rating_rows=rating_rows)
    sections = overview.by_area()
    rated = _rated_ids(overview, rating_source)
    chosen = _section(sections, rated)
    rows = chosen[1] if chosen else overview.rows
    prefill = None if request.method == "POST" else _prefill(rows, source, comments)
    form = assessment_form(
        [row.competence for row in rows], overview.scale, data=prefill
    )
    if form.validate_on_submit():
        try:
            services.save_round(current_user, person, rating_source, form.entries())
        except AssessmentError as exc:
            exc.add_to(form)
        else:
            db.session.commit()
            return _after_saving(person, source, sections, chosen, overview)
    return render_template(
        "learning/assessments/assess.html",
        overview=overview,
        form=form,
        source=rating_source,
        url_source=source,
        sections=sections,
        section=chosen,
        rated=rated,
    ), (400 if form.errors or form.form_errors else 200)


def _rated_ids(overview, source: RatingSource) -> set[int]:
    """Competences that already have a rating of this kind: the progress."""
    field = {
        RatingSource.self: "self_level",
        RatingSource.manager: "manager_level",
        RatingSource.agreed: "agreed_level",
    }[source]
    return {
        row.competence.id
        for row in overview.rows
        if getattr(row.gap, field) is not None
    }


def _section(sections: list, rated: set[int]):
    """The area named by ?omraade=, else (on a GET) the first with something left
    to rate; None on a POST without one (the whole form)."""
    wanted = request.args.get("omraade")
    if wanted is None:
        if request.method == "POST" or not sections:
            return None
        open_ones = [
            s for s in sections if any(r.competence.id not in rated for r in s[1])
        ]
        return (open_ones or sections)[0]
    for section in sections:
        if str(section[0].id) == wanted:
            return section
    abort(404)


def _after_saving(person: User, source: str, sections: list, chosen, overview):
    """On to the next section; after the last one (or the whole form), the profile."""
    rated = _rated_ids(profile_overview(person), URL_SOURCES[source])
    progress = _(
        "%(done)d of %(total)d assessed", done=len(rated), total=len(overview.rows)
    )
    if chosen is not None:
        index = [s[0].id for s in sections].index(chosen[0].id)
        flash(
            _("%(area)s is saved.", area=localised(chosen[0])) + " " + progress,
            "success",
        )
        if index + 1 < len(sections):
            return redirect(
                url_for(
                    ".assess",
                    person_id=person.id,
                    source=source,
                    omraade=sections[index + 1][0].id,
                )
            )
    else:
        flash(_("The assessment is saved.") + " " + progress, "success")
    if person.id == current_user.id:
        return redirect(url_for(".my_profile"))
    return redirect(url_for(".profile", person_id=person.id))


def _prefill(rows, url_source: str, comments: dict[int, str]) -> dict:
    """Start from the latest rating of the same kind (agreed: from the manager's),
    with the `comments` of the same kind (ratings_and_comments)."""
    source = URL_SOURCES[url_source]
    data = {}
    for row in rows:
        gap = row.gap
        level = {
            RatingSource.self: gap.self_level,
            RatingSource.manager: gap.manager_level,
            RatingSource.agreed: gap.agreed_level
            if gap.agreed_level is not None
            else gap.manager_level,
        }[source]
        data[f"level_{row.competence.id}"] = level
        data[f"comment_{row.competence.id}"] = comments.get(row.competence.id, "")
    return data


def _sort_arg() -> str:
    sort = request.args.get("sort", "gap")
    if sort in SORTS or (sort.startswith("c") and sort[1:].isdigit()):
        return sort
    abort(400, description=_("Unknown sort order."))


@bp.route("/team")
@login_required
def team():
    require(can_view_team_map(current_user))
    teams = led_teams(current_user, everyone=current_user.is_admin)
    if not teams:
        abort(404)
    chosen = chosen_unit(teams, "team")
    require(can_view_team_map(current_user, chosen))
    people, sort = team_members(chosen), _sort_arg()
    led_team_ids = managed_team_ids(current_user)
    assessable = [
        p for p in people if can_manager_assess(current_user, p, led_team_ids)
    ]
    heat = heat_map(people, sort=sort)
    return render_template(
        "learning/assessments/team.html",
        teams=teams,
        unit=chosen,
        heat=heat,
        sort=sort,
        last_rounds=services.last_rounds(p.id for p in people),
        actions=manager_actions(assessable),
        **_heat_map_links(heat),
        sources=list(RatingSource),
    )


@bp.route("/jobcentre")
@login_required
def jobcentre():
    require(can_view_jobcentre_map(current_user))
    if current_user.is_admin:
        units = list(
            db.session.scalars(
                db.select(OrgUnit)
                .where(OrgUnit.kind == UnitKind.jobcentre)
                .order_by(OrgUnit.name)
            )
        )
    else:
        # The person's own jobcentre, read by id (a lazy load of team.parent
        # otherwise); none when they belong to no team.
        units = list(
            db.session.scalars(
                db.select(OrgUnit).where(
                    OrgUnit.id
                    == (current_user.team.parent_id if current_user.team else None)
                )
            )
        )
    if not units:
        abort(404)
    chosen = chosen_unit(units, "jobcentre")
    require(can_view_jobcentre_map(current_user, chosen))
    sort = _sort_arg()
    heat = heat_map(jobcentre_members(chosen), sort=sort)
    return render_template(
        "learning/assessments/jobcentre.html",
        units=units,
        unit=chosen,
        heat=heat,
        sort=sort,
        **_heat_map_links(heat),
    )


def _heat_map_links(heat) -> dict:
    """The heat map's links to sort by each column and to each person's profile."""
    return {
        "sort_urls": column_sort_urls(c.id for c in heat.columns),
        "profile_urls": person_urls(".profile", (p.id for p in heat.people)),
    }
