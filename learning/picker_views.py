"""The unit picker of the map and suggestion pages (?team=7, ?jobcentre=3); its
form is templates/learning/_unit_picker.html."""

from flask import abort, request

from core.db import db
from core.numbers import ID
from core.people.models import OrgUnit


def chosen_unit(units: list[OrgUnit], arg: str) -> OrgUnit:
    """The unit the query argument `arg` names among `units`, else the first."""
    wanted = request.args.get(arg, type=ID.arg)
    if wanted is None:
        return units[0]
    for unit in units:
        if unit.id == wanted:
            return unit
    # A unit the user may not see is refused, an unknown one is not found.
    if db.session.get(OrgUnit, wanted) is None:
        abort(404)
    abort(403)
