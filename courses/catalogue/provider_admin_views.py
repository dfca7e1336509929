"""The administrator's pages for providers and the staff who work for them."""

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from core.db import db
from core.people.models import Role, User
from core.people.services import find_user_by_email
from core.permissions import role_required
from courses.catalogue import services
from courses.catalogue.errors import CatalogueError
from courses.catalogue.forms import (
    PROVIDER_KIND_LABELS,
    ConfirmForm,
    MemberForm,
    ProviderForm,
)
from courses.catalogue.models import Provider, ProviderMember


def _field_error(form, exc: CatalogueError) -> None:
    db.session.rollback()
    exc.add_to(form)


@role_required(Role.admin)
def providers():
    rows = db.session.scalars(
        sa.select(Provider)
        .options(selectinload(Provider.members).joinedload(ProviderMember.user))
        .order_by(Provider.name)
    ).all()
    return render_template(
        "courses/catalogue/providers.html",
        providers=rows,
        kind_labels=PROVIDER_KIND_LABELS,
        member_form=MemberForm(),
        form=ConfirmForm(),
    )


@role_required(Role.admin)
def new_provider():
    form = ProviderForm()
    if request.method == "GET":
        form.default_capacity.data = 20
    if form.validate_on_submit():
        try:
            key = services.check_provider_key(form.key.data)
            values = form.values()
            provider = services.create_provider(
                current_user, key=key, **{k: values[k] for k in ("name", "kind")}
            )
            services.update_provider(current_user, provider, **values)
        except CatalogueError as exc:
            _field_error(form, exc)
        else:
            db.session.commit()
            flash(_("The provider is created."), "success")
            return redirect(url_for(".providers"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "courses/catalogue/provider_form.html", form=form, provider=None
    ), status


@role_required(Role.admin)
def edit_provider(provider_id: int):
    provider = db.get_or_404(Provider, provider_id)
    form = ProviderForm(obj=provider)
    del form.key  # the key is fixed once demo data and imports refer to it
    if form.validate_on_submit():
        try:
            services.update_provider(current_user, provider, **form.values())
        except CatalogueError as exc:
            _field_error(form, exc)
        else:
            db.session.commit()
            flash(_("The provider is saved."), "success")
            return redirect(url_for(".providers"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "courses/catalogue/provider_form.html", form=form, provider=provider
    ), status


@role_required(Role.admin)
def add_member(provider_id: int):
    provider = db.get_or_404(Provider, provider_id)
    form = MemberForm()
    valid = form.validate_on_submit()
    user = find_user_by_email(form.email.data or "") if valid else None
    if user is None:
        flash(_("No account has that e-mail address."), "error")
    elif not user.has_role(Role.provider_staff):
        flash(_("Give the person the role course provider staff first."), "error")
    else:
        services.add_member(current_user, provider, user)
        db.session.commit()
        flash(
            _(
                "%(name)s now works for %(provider)s.",
                name=user.name,
                provider=provider.name,
            ),
            "success",
        )
    return redirect(url_for(".providers"))


@role_required(Role.admin)
def remove_member(provider_id: int, user_id: int):
    provider = db.get_or_404(Provider, provider_id)
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit():
        revoked = services.remove_member(current_user, provider, user)
        db.session.commit()
        flash(
            _(
                "%(name)s no longer works for %(provider)s.",
                name=user.name,
                provider=provider.name,
            ),
            "success",
        )
        if revoked:
            flash(
                _(
                    "%(count)s API access tokens made by %(name)s are revoked. "
                    "A system that used them needs a new token from a colleague "
                    "at the provider.",
                    count=revoked,
                    name=user.name,
                ),
                "warning",
            )
    return redirect(url_for(".providers"))


def register(bp: Blueprint) -> None:
    """Add the administrator's provider pages to the catalogue's blueprint."""
    bp.add_url_rule("/udbydere/", view_func=providers)
    bp.add_url_rule("/udbydere/ny", view_func=new_provider, methods=["GET", "POST"])
    bp.add_url_rule(
        "/udbydere/<int:provider_id>", view_func=edit_provider, methods=["GET", "POST"]
    )
    bp.add_url_rule(
        "/udbydere/<int:provider_id>/medarbejdere",
        view_func=add_member,
        methods=["POST"],
    )
    bp.add_url_rule(
        "/udbydere/<int:provider_id>/medarbejdere/<int:user_id>/fjern",
        view_func=remove_member,
        methods=["POST"],
    )
