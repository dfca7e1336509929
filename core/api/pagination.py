"""Pages of a list in the API: `page` and `per_page` in, the items and the
counts out, as JSON (no headers to read)."""

import sqlalchemy as sa
from marshmallow import Schema, fields, validate

from core.db import db

MAX_PER_PAGE = 100


class PageArgs(Schema):
    page = fields.Integer(
        load_default=1,
        validate=validate.Range(min=1, max=100_000),
        metadata={"description": "The page, from 1."},
    )
    per_page = fields.Integer(
        load_default=20,
        validate=validate.Range(min=1, max=MAX_PER_PAGE),
        metadata={"description": f"Items per page, at most {MAX_PER_PAGE}."},
    )


def page_schema(item: type[Schema], name: str) -> type[Schema]:
    """A schema for one page of `item`s, named `name` in the document."""
    return type(
        name,
        (Schema,),
        {
            "items": fields.List(fields.Nested(item), required=True),
            "page": fields.Integer(required=True),
            "per_page": fields.Integer(required=True),
            "total": fields.Integer(
                required=True, metadata={"description": "Items on all pages."}
            ),
            "pages": fields.Integer(required=True),
        },
    )


def paginate(stmt: sa.Select, args: dict, *, scalars: bool = True) -> dict:
    """One page of `stmt`'s rows, counted in one more query."""
    page = db.paginate(
        stmt, page=args["page"], per_page=args["per_page"], error_out=False
    )
    return {
        "items": page.items,
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
        "pages": page.pages,
    }
