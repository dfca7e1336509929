"""The catalogue for everyone, a course's page, and the provider's course pages."""

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy.orm import joinedload

from core.db import db
from core.extensions import current_locale
from core.permissions import Link, link_counts, require
from core.registry import page_links_for
from courses.catalogue import cache, listing, services
from courses.catalogue.contributions import course_page_context, course_page_options
from courses.catalogue.errors import CatalogueError, ListingError
from courses.catalogue.forms import (
    AUDIENCE_LABELS,
    FORMAT_LABELS,
    ArchiveForm,
    ConfirmForm,
    CourseForm,
)
from courses.catalogue.models import Category, Course, Provider
from courses.catalogue.permissions import (
    can_manage_course,
    can_manage_provider,
    can_use_provider_pages,
    can_view_catalogue,
    can_view_course,
    keep_provider_ids,
    provider_ids_column,
)

bp = Blueprint("catalogue", __name__)


def _render_listing(query: listing.CatalogueQuery, kind) -> str:
    stmt = listing.catalogue_select(query, kind).options(
        joinedload(Course.provider), joinedload(Course.category)
    )
    page = db.paginate(stmt, page=query.page, per_page=query.per_page, error_out=False)
    return render_template(
        "courses/catalogue/_listing.html",
        query=query,
        page=page,
        employer_kind=kind,
        **listing.page_facts([course.id for course in page.items]),
        categories=db.session.scalars(sa.select(Category).order_by(Category.title)),
        providers=db.session.scalars(sa.select(Provider).order_by(Provider.name)),
        # Plain strings: a lazy label costs a catalogue look-up every time it is shown.
        audience_labels={k: str(v) for k, v in AUDIENCE_LABELS.items()},
        format_labels={k: str(v) for k, v in FORMAT_LABELS.items()},
        page_sizes=listing.PAGE_SIZES,
    )


@bp.route("/kurser/")
@login_required
def index():
    require(can_view_catalogue(current_user))
    try:
        query = listing.parse_query(request.args)
    except ListingError as exc:
        abort(400, description=str(exc))
    kind = current_user.employer_kind
    # The listing is the same for everyone of one employer kind and language.
    key = (
        cache.data_version(),
        str(current_locale()),
        kind.value,
        tuple(sorted(request.args.items(multi=True))),
    )
    html = cache.listings.get_or_render(key, lambda: _render_listing(query, kind))
    return render_template("courses/catalogue/index.html", listing=Markup(html))


def _whole_course(course_id: int) -> Course:
    """The course with its provider, category and prerequisites: one query."""
    return db.get_or_404(
        Course,
        course_id,
        options=[
            joinedload(Course.provider),
            joinedload(Course.category),
            joinedload(Course.prerequisites),
        ],
    )


def _course_read(user) -> sa.Select:
    """The statement that reads a course for its page: with its provider,
    category, prerequisites, what the areas above add to the read (a diploma's
    modules) and, when the person's provider membership counts, the providers
    they work for. The course and the person are bound at run time ("course_id",
    "provider_member_id"); built once per app and shape (issue 19), as building
    a statement and its cache key costs more than SQLite takes to answer it."""
    kept = current_app.extensions.setdefault("course_page_reads", {})
    with_providers = link_counts(user, Link.provider_member)
    if with_providers not in kept:
        kept[with_providers] = (
            sa.select(Course, provider_ids_column(user))
            .where(Course.id == sa.bindparam("course_id"))
            .options(
                joinedload(Course.provider),
                joinedload(Course.category),
                joinedload(Course.prerequisites),
                *course_page_options(),
            )
        )
    return kept[with_providers]


def _load_course(course_id: int) -> Course:
    """The course for its page, in one statement (_course_read), and the
    providers the person works for kept for the permission checks here and in
    the menu."""
    values = {"course_id": course_id, "provider_member_id": current_user.id}
    row = db.session.execute(_course_read(current_user), values).unique().one_or_none()
    if row is None:
        abort(404)
    course, provider_ids = row
    keep_provider_ids(current_user, provider_ids)
    require(can_view_catalogue(current_user))
    # A draft does not exist for those who may not see it.
    if not can_view_course(current_user, course):
        abort(404)
    return course


def _render_detail(course: Course, *, preview=False, problems=(), status=200):
    # Sessions, diplomas and the calendar feed come from the areas that own them.
    return render_template(
        "courses/catalogue/detail.html",
        course=course,
        audience_labels=AUDIENCE_LABELS,
        format_labels=FORMAT_LABELS,
        form=ConfirmForm(),
        preview=preview,
        problems=problems,
        page_links=[] if preview else page_links_for("course", current_user, course),
        **course_page_context(current_user, course),
    ), status


@bp.route("/kurser/<int:course_id>")
@login_required
def detail(course_id: int):
    return _render_detail(_load_course(course_id))


@bp.route("/kurser/<int:course_id>/forhaandsvis")
@login_required
def preview(course_id: int):
    """The course's page as people will see it once published, without the
    provider's own buttons."""
    course = _load_course(course_id)
    require(can_manage_course(current_user, course))
    return _render_detail(course, preview=True)


@bp.route("/kurser/<int:course_id>/udgiv", methods=["POST"])
@login_required
def publish(course_id: int):
    """Put a draft in the catalogue; a course with impossible data stays a draft
    and the page says what to correct."""
    course = _load_course(course_id)
    require(can_manage_course(current_user, course))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.publish_course(current_user, course)
    except CatalogueError:
        db.session.rollback()
        problems = [str(p) for p in services.publication_problems(course)]
        return _render_detail(course, problems=problems, status=409)
    db.session.commit()
    flash(_("The course is published in the catalogue."), "success")
    return redirect(url_for(".detail", course_id=course.id))


@bp.route("/udbyder/")
@login_required
def provider():
    require(can_use_provider_pages(current_user))
    providers = db.session.scalars(services.providers_for(current_user)).all()
    archived = request.args.get("arkiv") == "1"
    courses = db.session.scalars(
        services.courses_of([p.id for p in providers], archived=archived).options(
            joinedload(Course.category)
        )
    ).all()
    by_provider = {p.id: [] for p in providers}
    for course in courses:
        by_provider[course.provider_id].append(course)
    return render_template(
        "courses/catalogue/provider.html",
        providers=providers,
        by_provider=by_provider,
        archived=archived,
    )


def _course_form(course: Course | None) -> CourseForm:
    categories = db.session.scalars(sa.select(Category).order_by(Category.title))
    others = sa.select(Course).where(Course.is_listed()).order_by(Course.title)
    if course is not None:
        others = others.where(Course.id != course.id)
    return CourseForm(
        obj=course, categories=categories, courses=db.session.scalars(others)
    )


def _save_course(form: CourseForm, provider: Provider, course: Course | None):
    category = db.session.get(Category, int(form.category.data or 0) or -1)
    required = db.session.scalars(
        sa.select(Course).where(Course.id.in_(form.prerequisites.data or []))
    ).all()
    values = form.values() | {"category": category}
    try:
        if course is None:
            return services.create_course(
                current_user, provider, prerequisites=required, **values
            )
        return services.update_course(
            current_user, course, prerequisites=required, **values
        )
    except CatalogueError as exc:
        db.session.rollback()
        exc.add_to(form)
        return None


@bp.route("/udbyder/<int:provider_id>/kurser/nyt", methods=["GET", "POST"])
@login_required
def create(provider_id: int):
    provider = db.get_or_404(Provider, provider_id)
    require(can_manage_provider(current_user, provider))
    form = _course_form(None)
    if request.method == "GET":
        form.price_state.data = form.price_municipal.data = 0
    if form.validate_on_submit() and (course := _save_course(form, provider, None)):
        db.session.commit()
        flash(
            _("The course is saved as a draft: preview it, and publish it when ready."),
            "success",
        )
        return redirect(url_for(".detail", course_id=course.id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "courses/catalogue/edit.html", form=form, provider=provider, course=None
    ), status


@bp.route("/kurser/<int:course_id>/rediger", methods=["GET", "POST"])
@login_required
def edit(course_id: int):
    # The form shows the category and prerequisites, the page the provider.
    course = _whole_course(course_id)
    require(can_manage_course(current_user, course))
    form = _course_form(course)
    if request.method == "GET":
        form.category.data = str(course.category_id or "")
        form.prerequisites.data = [c.id for c in course.prerequisites]
    if form.validate_on_submit() and _save_course(form, course.provider, course):
        db.session.commit()
        flash(_("The course is saved."), "success")
        return redirect(url_for(".detail", course_id=course.id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "courses/catalogue/edit.html",
        form=form,
        provider=course.provider,
        course=course,
    ), status


def _confirmed(course_id: int, change, message: str):
    """Restore: load, authorise, confirm, change, commit, redirect."""
    course = db.get_or_404(Course, course_id)
    require(can_manage_course(current_user, course))
    if ConfirmForm().validate_on_submit():
        change(current_user, course)
        db.session.commit()
        flash(message, "success")
    return redirect(url_for(".detail", course_id=course.id))


@bp.route("/kurser/<int:course_id>/arkiver", methods=["GET", "POST"])
@login_required
def archive(course_id: int):
    """Ask first (this page, or the dialog on the course's page), then archive."""
    course = db.get_or_404(Course, course_id)
    require(can_manage_course(current_user, course))
    form = ArchiveForm()
    if not course.archived and form.validate_on_submit():
        services.archive_course(current_user, course, reason=form.reason.data or "")
        db.session.commit()
        flash(_("The course is archived. Its page can still be read."), "success")
        return redirect(url_for(".detail", course_id=course.id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "courses/catalogue/archive.html", course=course, form=form
    ), status


@bp.route("/kurser/<int:course_id>/genopret", methods=["POST"])
@login_required
def restore(course_id: int):
    message = _("The course is back in the catalogue.")
    return _confirmed(course_id, services.restore_course, message)
