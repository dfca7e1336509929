"""Specialist areas (issue 17), the knowledge side: a page per specialist area
and per regional specialist function, the areas' knowledge items (news, guidance
notes, links and documents) with their Atom feeds, and readings of them in
development plans.

The organisation (the functions, their staff, the key persons) is core's
(core.people.specialists): this area reads it and adds what is learning's.
"""

import importlib
import importlib.util
import os

from flask import Flask
from flask_babel import lazy_gettext as _l

from core.registry import (
    NavItem,
    PageSection,
    PersonalData,
    add_nav,
    add_page_section,
    add_personal_data,
    add_seeder,
)
from learning.specialist import demo, demo_courses, suggestions, views
from learning.specialist.permissions import can_read_knowledge

UPLOAD_MAX_BYTES = 10_000_000


def init_app(app: Flask) -> None:
    """Register the area's pages, its menu item, demo items and data rules."""
    # Uploads live under the instance folder, which the web server never serves.
    app.config.setdefault(
        "SPECIALIST_UPLOAD_DIR", os.path.join(app.instance_path, "specialist")
    )
    app.config.setdefault("SPECIALIST_UPLOAD_MAX_BYTES", UPLOAD_MAX_BYTES)
    app.register_blueprint(views.bp, name_prefix="learning")
    add_nav(
        app,
        NavItem(
            _l("Specialist areas"),
            "learning.specialist.index",
            can_read_knowledge,
            order=325,
        ),
    )
    # "Forslag til dig": published items tagged with the person's gap competences.
    add_page_section(
        app,
        PageSection(
            "suggestions", "learning/specialist/_suggestions.html", suggestions.section
        ),
    )
    add_seeder(app, 95, demo.seed_knowledge)
    add_seeder(app, 96, demo_courses.seed_area_courses)
    add_personal_data(
        app,
        PersonalData(
            "knowledge_items",
            _l("Knowledge items you have written for a specialist area."),
            subject="author_id",
            # What an author publishes is the area's, not a text about them.
            plain=("title", "summary", "body", "url", "file_name", "file_type"),
            left_out={"file_key": "the random name the document is stored under"},
        ),
        PersonalData(
            "knowledge_item_competences",
            _l("The competences your knowledge items are tagged with."),
            parent=("item_id", "knowledge_items"),
        ),
        PersonalData(
            "knowledge_feed_tokens",
            _l("Your private feed address for the specialist areas."),
            subject="user_id",
            left_out={"secret": "a secret: it opens the areas' feeds"},
            on_erase="delete",
        ),
        PersonalData(
            "knowledge_readings",
            _l("Knowledge items you read as activities of your development plans."),
            parent=("activity_id", "plan_activities"),
        ),
    )
    # The key-person network (network_views.py) is built beside this area by
    # the organisation side; its own init_app wires its pages when it is there.
    if importlib.util.find_spec("learning.specialist.network_views") is not None:
        network_views = importlib.import_module("learning.specialist.network_views")
        if hasattr(network_views, "init_app"):
            network_views.init_app(app)
