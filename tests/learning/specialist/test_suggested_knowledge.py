"""Knowledge items as learning resources: "Forslag til dig" lists the published
items tagged with the person's gap competences, and reading one can be added to
the development plan from there."""

import pytest
import sqlalchemy as sa

from core.db import db
from learning.assessments.models import RatingSource
from learning.plans.models import ActivityKind, PlanActivity

pytestmark = pytest.mark.usefixtures("app")


@pytest.fixture
def with_gap(knowledge, small_framework, rate):
    """Brian lacks B-V1 (target 3, rated 1) and nothing else."""
    person = knowledge.people["colleague"]
    rate(small_framework, person, RatingSource.self, {"B-V1": 1, "B-H1": 2, "B-A1": 3})
    return person


def test_items_for_the_gap_are_suggested_and_added_to_the_plan(
    client, login_as, knowledge, small_framework, with_gap
):
    gap = small_framework.by_code("B-V1")
    met = small_framework.by_code("B-H1")
    knowledge.item(
        "key", publish=True, title="Lovgivning for EURES", competence_ids=[gap.id]
    )
    knowledge.item("key", publish=True, title="Samtalen", competence_ids=[met.id])
    knowledge.item("key", title="Kladde om loven", competence_ids=[gap.id])
    login_as(with_gap)
    page = client.get("/forslag").get_data(as_text=True)
    assert "Viden fra specialområderne" in page
    assert "Lovgivning for EURES" in page
    assert "Samtalen" not in page  # no gap there
    assert "Kladde om loven" not in page  # not published
    item_id = page.split("/specialomraader/viden/", 1)[1].split('"', 1)[0]
    answer = client.post(f"/specialomraader/viden/{item_id}/udviklingsplan")
    assert answer.status_code == 302
    activity = db.session.scalar(sa.select(PlanActivity))
    assert activity.kind is ActivityKind.reading
    assert activity.title == "Lovgivning for EURES"
    page = client.get("/forslag").get_data(as_text=True)
    assert "Indlægget står i din udviklingsplan." in page


def test_no_section_without_matching_items(client, login_as, knowledge, with_gap):
    login_as(with_gap)
    page = client.get("/forslag").get_data(as_text=True)
    assert "Viden fra specialområderne" not in page
