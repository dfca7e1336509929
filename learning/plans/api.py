"""A person's own development plans in the API, with goals and activities."""

import sqlalchemy as sa
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy.orm import selectinload

from core.api import errors
from core.api.auth import token_required
from core.api.fields import Money
from core.api.pagination import PageArgs, page_schema, paginate
from core.db import db
from learning.plans.models import (
    ActivityKind,
    ActivityStatus,
    Funding,
    Plan,
    PlanKind,
    PlanStatus,
)

bp = Blueprint(
    "plans_api",
    __name__,
    url_prefix=errors.PREFIX,
    description="Your development plans",
)


class GoalSchema(Schema):
    id = fields.Integer(required=True)
    competence_id = fields.Integer(allow_none=True, required=True)
    target_level = fields.Integer(allow_none=True, required=True)
    text = fields.String(required=True)


class ActivitySchema(Schema):
    id = fields.Integer(required=True)
    goal_id = fields.Integer(allow_none=True, required=True)
    kind = fields.Enum(ActivityKind, by_value=True, required=True)
    title = fields.String(required=True)
    course_session_id = fields.Integer(allow_none=True, required=True)
    booking_id = fields.Integer(allow_none=True, required=True)
    cost = Money(required=True)
    funding = fields.Enum(Funding, by_value=True, required=True)
    starts_on = fields.Date(allow_none=True, required=True)
    ends_on = fields.Date(allow_none=True, required=True)
    status = fields.Enum(ActivityStatus, by_value=True, required=True)


class PlanSchema(Schema):
    id = fields.Integer(required=True)
    status = fields.Enum(PlanStatus, by_value=True, required=True)
    title = fields.String(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    submitted_at = fields.AwareDateTime(allow_none=True, required=True)
    decided_at = fields.AwareDateTime(allow_none=True, required=True)
    decision_comment = fields.String(required=True)
    goals = fields.List(fields.Nested(GoalSchema), required=True)
    activities = fields.List(fields.Nested(ActivitySchema), required=True)


PlanPage = page_schema(PlanSchema, "PlanPage")


def _own_plans() -> sa.Select:
    return (
        sa.select(Plan)
        .options(selectinload(Plan.goals), selectinload(Plan.activities))
        .where(Plan.kind == PlanKind.person, Plan.owner_id == current_user.id)
    )


@bp.route("/me/plans")
class MyPlans(MethodView):
    @token_required(bp, "me:read")
    @bp.arguments(PageArgs, location="query")
    @bp.response(200, PlanPage)
    @errors.answers(bp, 400)
    def get(self, args):
        """Your development plans, the latest period first."""
        return paginate(
            _own_plans().order_by(Plan.starts_on.desc(), Plan.id.desc()), args
        )


@bp.route("/me/plans/<int:plan_id>")
class MyPlan(MethodView):
    @token_required(bp, "me:read")
    @bp.response(200, PlanSchema)
    @errors.answers(bp, 400, 404)
    def get(self, plan_id):
        """One of your plans; another person's is not found."""
        plan = db.session.scalar(_own_plans().where(Plan.id == plan_id))
        if plan is None:
            raise errors.ApiError(404, "not_found", str(errors.CODES[404][1]))
        return plan
