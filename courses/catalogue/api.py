"""The catalogue in the API: providers and the courses everyone may see, read
without a token."""

import sqlalchemy as sa
from flask import current_app
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy.orm import joinedload

from core.api import errors
from core.api.auth import token_required
from core.api.fields import DecimalString, Money
from core.api.pagination import PageArgs, page_schema, paginate
from core.db import db
from core.people.models import EmployerKind
from courses.catalogue import cache, listing, services
from courses.catalogue.models import (
    Audience,
    Course,
    CourseFormat,
    CourseStatus,
    Provider,
    ProviderKind,
)

bp = Blueprint(
    "catalogue_api",
    __name__,
    url_prefix=errors.PREFIX,
    description="Catalogue: providers and courses (no token needed)",
)


class ProviderSchema(Schema):
    id = fields.Integer(required=True)
    key = fields.String(required=True)
    name = fields.String(required=True)
    kind = fields.Enum(ProviderKind, by_value=True, required=True)
    url = fields.String(required=True)


class CategorySchema(Schema):
    id = fields.Integer(required=True)
    key = fields.String(required=True)
    title = fields.String(required=True)


class CourseSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    provider = fields.Nested(ProviderSchema, required=True)
    category = fields.Nested(CategorySchema, allow_none=True, required=True)
    format = fields.Enum(CourseFormat, by_value=True, required=True)
    audience = fields.Enum(Audience, by_value=True, required=True)
    duration_days = DecimalString(allow_none=True, required=True)
    price_state = Money(required=True)
    price_municipal = Money(required=True)
    archived = fields.Boolean(required=True)
    updated_at = fields.DateTime(required=True)


class ProviderCourseSchema(CourseSchema):
    status = fields.Enum(CourseStatus, by_value=True, required=True)


class ProviderCourseArgs(PageArgs):
    archived = fields.Boolean(
        load_default=False, metadata={"description": "The archived courses instead."}
    )


class CourseArgs(PageArgs):
    q = fields.String(
        load_default="",
        validate=validate.Length(max=200),
        metadata={"description": "Words in the title or description."},
    )
    category = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))
    provider = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))
    audience = fields.Enum(Audience, by_value=True)


ProviderPage = page_schema(ProviderSchema, "ProviderPage")
CoursePage = page_schema(CourseSchema, "CoursePage")
ProviderCoursePage = page_schema(ProviderCourseSchema, "ProviderCoursePage")


def listed_course_or_404(course_id: int) -> Course:
    """A course everyone may see (published, not archived), else 404."""
    course = db.session.scalar(
        sa.select(Course)
        .options(joinedload(Course.provider), joinedload(Course.category))
        .where(Course.id == course_id, Course.is_listed())
    )
    if course is None:
        raise errors.ApiError(404, "not_found", str(errors.CODES[404][1]))
    return course


@bp.route("/providers")
class Providers(MethodView):
    @bp.arguments(PageArgs, location="query")
    @bp.response(200, ProviderPage)
    @errors.answers(bp, 400)
    def get(self, args):
        """The course providers, by name."""
        return paginate(sa.select(Provider).order_by(Provider.name, Provider.id), args)


@bp.route("/courses")
class Courses(MethodView):
    @bp.arguments(CourseArgs, location="query")
    @bp.response(200, CoursePage)
    @errors.answers(bp, 400)
    def get(self, args):
        """The courses in the catalogue (published, not archived), by title."""
        key = (cache.data_version(), tuple(sorted(args.items())))
        body = _kept_pages.get_or_render(key, lambda: _course_page(args))
        return current_app.response_class(body, mimetype=current_app.json.mimetype)


# Each worker keeps the listing's JSON by its arguments under the catalogue's
# data version, as the catalogue page keeps its listing (courses/catalogue/
# cache.py, which says what the version can miss: a category renamed, stamps
# committed out of order, a session starting; for at most the 10 s an entry
# lives). Profile (issue 19, in-process on PostgreSQL, the anonymous first
# page): 3.2-3.8 ms of CPU a request, of it the two statements' round trips
# inside a transaction (BEGIN and ROLLBACK two more, and psycopg forgets its
# prepared statements at each ROLLBACK), loading 20 courses with their
# providers and categories through the ORM and marshmallow's dump of them. A
# kept page is one read of the data version, outside any transaction.
_kept_pages = cache.ListingCache()


def _course_page(args) -> bytes:
    query = listing.CatalogueQuery(
        q=args["q"],
        category=args.get("category"),
        provider=args.get("provider"),
        audience=args.get("audience"),
    )
    stmt = listing.catalogue_select(query, EmployerKind.municipal).options(
        joinedload(Course.provider), joinedload(Course.category)
    )
    page = CoursePage().dump(paginate(stmt, args))
    return current_app.json.response(page).get_data()


@bp.route("/courses/<int:course_id>")
class CourseDetail(MethodView):
    @bp.response(200, CourseSchema)
    @errors.answers(bp, 400, 404)
    def get(self, course_id):
        """One course in the catalogue."""
        return listed_course_or_404(course_id)


@bp.route("/provider/courses")
class ProviderCourses(MethodView):
    @token_required(bp, "provider:read")
    @bp.arguments(ProviderCourseArgs, location="query")
    @bp.response(200, ProviderCoursePage)
    @errors.answers(bp, 400)
    def get(self, args):
        """The courses of the providers you work for, drafts included, by title."""
        own = db.session.scalars(
            services.providers_for(current_user).with_only_columns(Provider.id)
        )
        stmt = services.courses_of(own, archived=args["archived"]).options(
            joinedload(Course.provider), joinedload(Course.category)
        )
        return paginate(stmt, args)
