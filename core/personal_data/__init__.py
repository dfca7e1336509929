"""Personal data: a person's copy of everything the platform holds about them, an
administrator's erasure of a person, and the rules that say, table by table, how
each holds personal data (core.registry.PersonalData)."""

from flask import Flask

from core.personal_data import views
from core.personal_data.erasure import is_erased
from core.personal_data.permissions import can_copy_data_of, can_erase
from core.personal_data.rules import CORE_RULES
from core.registry import add_personal_data


def init_app(app: Flask) -> None:
    """The pages, their template predicates and the kernel's own tables' rules."""
    app.register_blueprint(views.bp, name_prefix="core")
    app.jinja_env.globals.update(
        can_copy_data_of=can_copy_data_of,
        can_erase=can_erase,
        is_erased=is_erased,
    )
    add_personal_data(app, *CORE_RULES)
