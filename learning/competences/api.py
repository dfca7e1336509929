"""The competence framework in the API: areas, competences, the scale and the
job-function profiles with their requirements."""

import sqlalchemy as sa
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy.orm import joinedload, selectinload

from core.api import errors
from core.api.auth import token_required
from core.api.pagination import PageArgs, page_schema, paginate
from core.db import db
from learning.competences import services
from learning.competences.models import (
    Area,
    Competence,
    CompetenceKind,
    Layer,
    Profile,
    Requirement,
    Scale,
)

bp = Blueprint(
    "competences_api",
    __name__,
    url_prefix=errors.PREFIX,
    description="The competence framework: competences, the scale and profiles",
)


class AreaSchema(Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    title = fields.String(required=True)
    title_en = fields.String(required=True)


class CompetenceSchema(Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    title = fields.String(required=True)
    title_en = fields.String(required=True)
    description = fields.String(required=True)
    kind = fields.Enum(CompetenceKind, by_value=True, required=True)
    layer = fields.Enum(Layer, by_value=True, required=True)
    area = fields.Nested(AreaSchema, required=True)
    retired = fields.Boolean(required=True)


class LevelSchema(Schema):
    value = fields.Integer(required=True)
    label = fields.String(required=True)
    description = fields.String(required=True)


class ScaleSchema(Schema):
    name = fields.String(required=True)
    levels = fields.List(fields.Nested(LevelSchema), required=True)


class RequirementSchema(Schema):
    competence_id = fields.Integer(required=True)
    competence_code = fields.String(attribute="competence.code", required=True)
    target = fields.Integer(required=True)
    priority = fields.Integer(required=True)


class ProfileSchema(Schema):
    id = fields.Integer(required=True)
    key = fields.String(required=True)
    title = fields.String(required=True)
    title_en = fields.String(required=True)
    description = fields.String(required=True)
    basic = fields.Boolean(required=True)


class ProfileDetailSchema(ProfileSchema):
    requirements = fields.List(fields.Nested(RequirementSchema), required=True)


class CompetenceArgs(PageArgs):
    kind = fields.Enum(CompetenceKind, by_value=True)
    layer = fields.Enum(Layer, by_value=True)
    area = fields.String(
        validate=validate.Length(max=40), metadata={"description": "An area's code."}
    )


CompetencePage = page_schema(CompetenceSchema, "CompetencePage")
ProfilePage = page_schema(ProfileSchema, "ProfilePage")


@bp.route("/competences")
class Competences(MethodView):
    @token_required(bp, "framework:read")
    @bp.arguments(CompetenceArgs, location="query")
    @bp.response(200, CompetencePage)
    @errors.answers(bp, 400)
    def get(self, args):
        """The framework's competences, by code."""
        stmt = (
            sa.select(Competence)
            .join(Competence.area)
            .options(joinedload(Competence.area))
            .order_by(Competence.code)
        )
        if "kind" in args:
            stmt = stmt.where(Competence.kind == args["kind"])
        if "layer" in args:
            stmt = stmt.where(Competence.layer == args["layer"])
        if "area" in args:
            stmt = stmt.where(Area.code == args["area"])
        return paginate(stmt, args)


@bp.route("/scale")
class ScaleView(MethodView):
    @token_required(bp, "framework:read")
    @bp.response(200, ScaleSchema)
    @errors.answers(bp, 400)
    def get(self):
        """The levels ratings and targets are given in."""
        scale = db.session.scalar(sa.select(Scale).order_by(Scale.id).limit(1))
        if scale is not None:
            return scale
        # The default the framework starts with; a read creates nothing.
        return {
            "name": services.DEFAULT_SCALE_NAME,
            "levels": [
                {"value": v, "label": label, "description": text}
                for v, label, text in services.DEFAULT_LEVELS
            ],
        }


@bp.route("/profiles")
class Profiles(MethodView):
    @token_required(bp, "framework:read")
    @bp.arguments(PageArgs, location="query")
    @bp.response(200, ProfilePage)
    @errors.answers(bp, 400)
    def get(self, args):
        """The job-function profiles, the basic one first, then by title."""
        stmt = sa.select(Profile).order_by(
            Profile.basic.desc(), Profile.title, Profile.id
        )
        return paginate(stmt, args)


@bp.route("/profiles/<int:profile_id>")
class ProfileDetail(MethodView):
    @token_required(bp, "framework:read")
    @bp.response(200, ProfileDetailSchema)
    @errors.answers(bp, 400, 404)
    def get(self, profile_id):
        """One profile with its requirements (target level and priority per
        competence)."""
        profile = db.session.scalar(
            sa.select(Profile)
            .options(
                selectinload(Profile.requirements).joinedload(Requirement.competence)
            )
            .where(Profile.id == profile_id)
        )
        if profile is None:
            raise errors.ApiError(404, "not_found", str(errors.CODES[404][1]))
        return profile
