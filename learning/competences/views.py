"""The coordinator's pages: areas, competences, the scale, profiles, job functions."""

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload, selectinload

from core.db import db
from core.people.models import User
from core.permissions import require
from learning.competences import overview, services
from learning.competences.errors import FrameworkError
from learning.competences.forms import (
    AreaForm,
    CompetenceForm,
    JobFunctionsForm,
    RetireForm,
    profile_form,
    scale_form,
)
from learning.competences.models import Area, Competence, Profile, Requirement
from learning.competences.permissions import (
    can_maintain_framework,
    can_set_job_functions,
)

bp = Blueprint("competences", __name__, url_prefix="/kompetencer/ramme")


def _guard() -> None:
    require(can_maintain_framework(current_user))


def _texts(form) -> dict[str, str]:
    """The title, English title and description every framework form has."""
    return {
        "title": form.title.data,
        "title_en": form.title_en.data or "",
        "description": form.description.data or "",
    }


def _save(form, saved: str, service, *args, **kwargs):
    """Call `service`; commit, say `saved` and go back to the overview, or put the
    FrameworkError beside its field (changing nothing) and return None."""
    try:
        service(*args, **kwargs)
    except FrameworkError as exc:
        db.session.rollback()
        exc.add_to(form)
        return None
    db.session.commit()
    flash(saved, "success")
    return redirect(url_for(".index"))


@bp.route("/")
@login_required
def index():
    _guard()
    areas, used, requiring = overview.areas_and_competences()
    return render_template(
        "learning/competences/index.html",
        areas=areas,
        used=used,
        requiring=requiring,
        scale=services.get_scale(),
        profiles=overview.profiles_and_sizes(),
    )


@bp.route("/omraader/ny", methods=["GET", "POST"], defaults={"area_id": None})
@bp.route("/omraader/<int:area_id>", methods=["GET", "POST"])
@login_required
def area(area_id: int | None):
    _guard()
    area = db.get_or_404(Area, area_id) if area_id else None
    form = AreaForm(obj=area)
    if form.validate_on_submit() and (
        done := _save(
            form,
            _("The area is saved."),
            services.save_area,
            current_user,
            area,
            code=form.code.data,
            **_texts(form),
        )
    ):
        return done
    return render_template("learning/competences/area.html", form=form, area=area)


@bp.route("/ny", methods=["GET", "POST"], defaults={"competence_id": None})
@bp.route("/<int:competence_id>", methods=["GET", "POST"])
@login_required
def competence(competence_id: int | None):
    _guard()
    competence = db.get_or_404(Competence, competence_id) if competence_id else None
    areas = db.session.scalars(sa.select(Area).order_by(Area.code)).all()
    form = CompetenceForm(obj=competence, areas=areas)
    if form.validate_on_submit() and (
        done := _save(
            form,
            _("The competence is saved."),
            services.save_competence,
            current_user,
            competence,
            code=form.code.data,
            **_texts(form),
            kind=form.kind.member,
            layer=form.layer.member,
            area=db.get_or_404(Area, form.area_id.data),
            source=form.source.data or "",
        )
    ):
        return done
    used = bool(competence and services.used_competence_ids([competence.id]))
    return render_template(
        "learning/competences/competence.html",
        form=form,
        competence=competence,
        used=used,
        requiring=services.requiring_profiles([competence.id] if competence else []),
    )


@bp.route("/<int:competence_id>/fjern", methods=["GET", "POST"])
@login_required
def remove(competence_id: int):
    """Ask first (this page, or the dialog on the overview), then retire the
    competence, or delete it when nothing uses it."""
    _guard()
    competence = db.get_or_404(Competence, competence_id)
    form = RetireForm()
    if not competence.retired and form.validate_on_submit():
        reason = form.reason.data or ""
        deleted = services.remove_competence(current_user, competence, reason=reason)
        db.session.commit()
        flash(
            _("The competence is deleted.")
            if deleted
            else _(
                "The competence is in use, so it is retired: existing ratings keep it."
            ),
            "success",
        )
        return redirect(url_for(".index"))
    return render_template(
        "learning/competences/remove.html",
        competence=competence,
        used=bool(services.used_competence_ids([competence.id])),
        requiring=services.requiring_profiles([competence.id]),
        form=form,
    ), (400 if request.method == "POST" else 200)


@bp.route("/<int:competence_id>/genindsaet", methods=["POST"])
@login_required
def reinstate(competence_id: int):
    _guard()
    competence = db.get_or_404(Competence, competence_id)
    services.set_retired(current_user, competence, False)
    db.session.commit()
    flash(_("The competence is in use again."), "success")
    return redirect(url_for(".index"))


@bp.route("/skala", methods=["GET", "POST"])
@login_required
def scale():
    _guard()
    scale = services.get_scale()
    form = scale_form(scale)
    if form.validate_on_submit() and (
        done := _save(
            form,
            _("The scale is saved."),
            services.update_scale,
            current_user,
            scale,
            name=form.name.data,
            levels=form.levels(),
        )
    ):
        return done
    return render_template("learning/competences/scale.html", form=form, scale=scale)


@bp.route("/profiler/ny", methods=["GET", "POST"], defaults={"profile_id": None})
@bp.route("/profiler/<int:profile_id>", methods=["GET", "POST"])
@login_required
def profile(profile_id: int | None):
    _guard()
    profile = None
    if profile_id:
        profile = db.first_or_404(
            sa.select(Profile)
            .where(Profile.id == profile_id)
            .options(selectinload(Profile.requirements))
        )
    competences = _active_competences(profile)
    form = profile_form(competences, services.get_scale(), profile=profile)

    def save_with_requirements() -> None:
        saved = services.save_profile(
            current_user,
            profile,
            key=form.key.data,
            basic=form.basic.data,
            **_texts(form),
        )
        services.set_requirements(current_user, saved, form.requirements())

    if form.validate_on_submit() and (
        done := _save(form, _("The profile is saved."), save_with_requirements)
    ):
        return done
    return render_template(
        "learning/competences/profile.html",
        form=form,
        profile=profile,
        competences=competences,
    )


def _active_competences(profile: Profile | None) -> list[Competence]:
    """Competences a profile can require: those in use, and any it already holds."""
    held = sa.select(Requirement.competence_id).where(
        Requirement.profile_id == (profile.id if profile else -1)
    )
    return list(
        db.session.scalars(
            sa.select(Competence)
            .where(sa.or_(Competence.retired.is_(False), Competence.id.in_(held)))
            .options(joinedload(Competence.area))
            .order_by(Competence.layer, Competence.code)
        )
    )


@bp.route("/personer/<int:person_id>/funktioner", methods=["GET", "POST"])
@login_required
def job_functions(person_id: int):
    person = db.get_or_404(User, person_id)
    require(can_set_job_functions(current_user, person))
    choices = [p for p in services.all_profiles() if not p.basic]
    have = [p.id for p in services.profiles_of(person) if not p.basic]
    form = JobFunctionsForm(choices=choices, data={"profiles": have})
    if form.validate_on_submit():
        chosen = [p for p in choices if p.id in set(form.profiles.data)]
        services.set_user_profiles(current_user, person, chosen)
        db.session.commit()
        flash(_("The job functions are saved."), "success")
        return redirect(url_for("learning.assessments.profile", person_id=person.id))
    return render_template(
        "learning/competences/job_functions.html", form=form, person=person
    )
