"""A person's own gaps and ranked course suggestions in the API."""

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from core.api import errors
from core.api.auth import token_required
from core.api.fields import MONEY, money
from core.api.pagination import PageArgs, page_schema
from learning.assessments.services import competences_by_id, gaps_for
from learning.competences.models import Layer
from learning.matching import person_page, presenting

bp = Blueprint(
    "matching_api",
    __name__,
    url_prefix=errors.PREFIX,
    description="Your competence gaps and the sessions that would close them",
)


class GapSchema(Schema):
    competence_id = fields.Integer(required=True)
    competence_code = fields.String(required=True)
    competence_title = fields.String(required=True)
    layer = fields.Enum(Layer, by_value=True, required=True)
    target = fields.Integer(required=True)
    priority = fields.Integer(required=True)
    self_level = fields.Integer(allow_none=True, required=True)
    manager_level = fields.Integer(allow_none=True, required=True)
    agreed_level = fields.Integer(allow_none=True, required=True)
    current = fields.Integer(
        allow_none=True,
        required=True,
        metadata={"description": "None until someone has rated it."},
    )
    gap = fields.Integer(required=True)
    weighted = fields.Integer(required=True)
    talk_topic = fields.Boolean(required=True)


class GapsSchema(Schema):
    total_weighted = fields.Integer(required=True)
    items = fields.List(fields.Nested(GapSchema), required=True)


class CoveredSchema(Schema):
    competence_id = fields.Integer(required=True)
    current = fields.Integer(required=True)
    reached = fields.Integer(required=True)
    target = fields.Integer(required=True)


class SuggestionSchema(Schema):
    course_session_id = fields.Integer(required=True)
    course_id = fields.Integer(required=True)
    course_title = fields.String(required=True)
    starts_at = fields.AwareDateTime(allow_none=True, required=True)
    location = fields.String(required=True)
    seats_left = fields.Integer(required=True)
    price = fields.String(**MONEY)
    weighted = fields.Integer(required=True)
    reason = fields.String(required=True, metadata={"description": "In words."})
    covered = fields.List(fields.Nested(CoveredSchema), required=True)


SuggestionPage = page_schema(SuggestionSchema, "SuggestionPage")


@bp.route("/me/gaps")
class MyGaps(MethodView):
    @token_required(bp, "me:read")
    @bp.response(200, GapsSchema)
    @errors.answers(bp, 400)
    def get(self):
        """Your competences against your profiles' targets, largest weighted gap
        first (the ones not yet rated last)."""
        gaps = gaps_for([current_user.id])[current_user.id]
        named = competences_by_id(item.competence_id for item in gaps.items)
        ordered = sorted(
            gaps.items,
            key=lambda i: (not i.assessed, -i.weighted, -i.gap, i.competence_id),
        )
        return {
            "total_weighted": gaps.total,
            "items": [
                dict(
                    item._asdict(),
                    competence_code=named[item.competence_id].code,
                    competence_title=named[item.competence_id].title,
                )
                for item in ordered
            ],
        }


@bp.route("/me/suggestions")
class MySuggestions(MethodView):
    @token_required(bp, "me:read")
    @bp.arguments(PageArgs, location="query")
    @bp.response(200, SuggestionPage)
    @errors.answers(bp, 400)
    def get(self, args):
        """Open sessions ranked by how much of your priority-weighted gap they
        close, then price and date, as on the suggestions page."""
        found = person_page.suggestion_page(
            current_user, page=args["page"], size=args["per_page"], places=False
        )
        chosen, sessions = found.items, found.sessions
        return {
            "items": [
                {
                    "course_session_id": s.offer.course_session_id,
                    "course_id": s.offer.course_id,
                    "course_title": sessions[s.offer.course_session_id].course.title,
                    "starts_at": s.offer.starts_at,
                    "location": s.offer.location,
                    "seats_left": s.offer.seats_left,
                    "price": money(s.price),
                    "weighted": s.weighted,
                    "reason": presenting.reason(s, found.competences),
                    "covered": s.covered,
                }
                for s in chosen
            ],
            "page": args["page"],
            "per_page": args["per_page"],
            "total": found.total,
            "pages": -(-found.total // args["per_page"]),
        }
