"""Providers, courses, categories, audiences and prices."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from core import api as core_api
from core.api.auth import add_holder_rule
from core.people.permissions import can_administer
from core.registry import NavItem, add_nav, add_seeder
from courses.catalogue import (
    api,
    permissions,
    provider_admin_views,
    provider_token_views,
    provider_tokens,
    views,
)
from courses.catalogue.demo import seed_catalogue

# Each view module adds its pages to the area's blueprint here, once per process
# (Flask refuses new routes on a blueprint an app has registered).
provider_admin_views.register(views.bp)
provider_token_views.register(views.bp)


def init_app(app: Flask) -> None:
    """Register the catalogue's pages, commands and demo data."""
    app.register_blueprint(views.bp, name_prefix="courses")
    core_api.register(app, api.bp, _l("Catalogue"))
    add_seeder(app, 20, seed_catalogue)
    # A provider-scope token is for someone who works for a provider, now.
    add_holder_rule(
        provider_tokens.PROVIDER_SCOPE,
        lambda user: bool(permissions.provider_ids_of(user)),
    )
    app.jinja_env.globals.update(
        can_view_catalogue=permissions.can_view_catalogue,
        can_manage_course=permissions.can_manage_course,
        can_manage_provider=permissions.can_manage_provider,
        can_use_provider_pages=permissions.can_use_provider_pages,
    )
    add_nav(
        app,
        NavItem(
            _l("Course catalogue"),
            "courses.catalogue.index",
            permissions.can_view_catalogue,
            order=100,
        ),
    )
    add_nav(
        app,
        NavItem(
            _l("Course providers"),
            "courses.catalogue.providers",
            can_administer,
            order=920,
        ),
    )
    add_nav(
        app,
        NavItem(
            _l("Provider"),
            "courses.catalogue.provider",
            permissions.can_use_provider_pages,
            order=600,
        ),
    )
