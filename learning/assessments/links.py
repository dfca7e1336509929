"""Links and texts repeated once per person on the heat maps' pages.

A team's page drew ~200 links and named texts a request, each through the URL
map's builder and the catalogue's lookup: ~15% of its CPU (cProfile, issue 19).
Here each rule is built once a request and each text looked up once, then
filled in per person: the same URLs and the same escaped texts as url_for and
the templates' gettext give. Nothing outlives the request.
"""

from collections.abc import Iterable
from typing import NamedTuple

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup

from core.templating import url_with

# A person id no table holds, built into a URL and then replaced by each id.
_STAND_IN = 987654321987


def person_urls(endpoint: str, person_ids: Iterable[int], **values) -> dict[int, str]:
    """url_for(endpoint, person_id=id, **values) for each id, the rule built once."""
    pattern = url_for(endpoint, person_id=_STAND_IN, **values)
    mark = str(_STAND_IN)
    if pattern.count(mark) != 1:  # the id not in the path once: build each
        return {pid: url_for(endpoint, person_id=pid, **values) for pid in person_ids}
    head, tail = pattern.split(mark)
    return {pid: f"{head}{pid}{tail}" for pid in person_ids}


def column_sort_urls(column_ids: Iterable[int]) -> dict[int, str]:
    """url_with(sort=f"c{id}") for each heat map column, the query built once."""
    mark = f"c{_STAND_IN}"
    pattern = url_with(sort=mark)
    if pattern.count(mark) != 1:
        return {cid: url_with(sort=f"c{cid}") for cid in column_ids}
    head, tail = pattern.split(mark)
    return {cid: f"{head}c{cid}{tail}" for cid in column_ids}


def named_texts(translated: str, people: Iterable) -> dict[int, Markup]:
    """The template's _(message, name=person.name) for each person, given the
    message `translated` (gettext without values): the name escaped into it."""
    text = Markup(translated)
    return {p.id: text % {"name": p.name} for p in people}


class Actions(NamedTuple):
    """The manager's links beside a person on the team's page."""

    assess_url: str
    assess_text: Markup
    agreed_url: str
    agreed_text: Markup


def manager_actions(people: list) -> dict[int, Actions]:
    """Per person the signed-in manager may assess (the caller's choice), the
    links to the manager's and the agreed assessment, with their texts."""
    ids = [p.id for p in people]
    endpoint = "learning.assessments.assess"
    assess = person_urls(endpoint, ids, source="leder")
    agreed = person_urls(endpoint, ids, source="aftalt")
    assess_texts = named_texts(_("Assess %(name)s"), people)
    agreed_texts = named_texts(_("Agreed level for %(name)s"), people)
    return {
        pid: Actions(assess[pid], assess_texts[pid], agreed[pid], agreed_texts[pid])
        for pid in ids
    }
