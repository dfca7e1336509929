"""The specialist areas' pages: the four areas, an area and a regional function
with their staff, key persons, upcoming sessions and knowledge items; an item,
its document and the area's Atom feed; writing, publishing and archiving items;
adding one to the development plan as a reading."""

import io

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.db import db, utcnow
from core.people.models import SpecialistArea
from core.permissions import require
from core.urls import public_base_url
from learning.competences.forms import competence_choices
from learning.competences.labels import localised
from learning.plans.errors import PlanError
from learning.specialist import (
    area_courses,
    atom,
    feeds,
    page_data,
    richtext,
    services,
    uploads,
)
from learning.specialist.errors import SpecialistError
from learning.specialist.forms import ActionForm, CourseLinkForm, ItemForm
from learning.specialist.labels import (
    AREA_BY_SLUG,
    AREA_COVERS,
    AREA_LABELS,
    KIND_LABELS,
    SLUG_PATTERN,
    SLUGS,
    STATUS_LABELS,
)
from learning.specialist.models import ItemKind, ItemStatus, KnowledgeItem
from learning.specialist.permissions import (
    can_edit_item,
    can_read_knowledge,
    can_use_network,
    can_view_item,
    can_write_in,
)

bp = Blueprint("specialist", __name__, url_prefix="/specialomraader")
FEED_SIZE = 30
# Refusals that are the state of things, not what was typed.
CONFLICTS = frozenset({"wrong_state", "not_published", "in_plan", "course_linked"})


def refuse(message: str, status: int):
    """A Danish message and a 4xx; nothing of the attempt is kept."""
    db.session.rollback()
    return render_template("learning/specialist/refused.html", message=message), status


def _status_of(exc: SpecialistError) -> int:
    if exc.code == "not_allowed":
        return 403
    return 409 if exc.code in CONFLICTS else 400


def _labels() -> dict:
    return {
        "area_labels": AREA_LABELS,
        "kind_labels": KIND_LABELS,
        "status_labels": STATUS_LABELS,
        "slugs": SLUGS,
    }


@bp.route("/")
@login_required
def index():
    require(can_read_knowledge(current_user))
    functions = {area: page_data.functions_of(area) for area in SpecialistArea}
    return render_template(
        "learning/specialist/index.html",
        functions=functions,
        covers=AREA_COVERS,
        **_labels(),
    )


def _private_feed_url(area: SpecialistArea, secret: str | None) -> str | None:
    if secret is None:
        return None
    path = url_for(".private_feed", slug=SLUGS[area], secret=secret)
    return public_base_url() + path


def _area_page(area: SpecialistArea, function=None, staff=None):
    """An area's page, or one of its functions' (read with its staff): six
    statements with the frame's, whatever the number of items or jobcentres."""
    require(can_read_knowledge(current_user))
    secret = page_data.feed_secret(current_user)
    if function is None:
        functions, staff = page_data.area_functions(area)
    else:
        functions = [function]
    page = page_data.knowledge(
        current_user,
        area,
        function.id if function else None,
        per_page=current_app.config["PAGE_SIZE"],
    )
    return render_template(
        "learning/specialist/area.html",
        area=area,
        function=function,
        covers=AREA_COVERS[area],
        functions=functions,
        staff=staff,
        regions=page_data.key_persons_by_jobcentre(
            area, function.region_id if function else None
        ),
        sessions=page_data.upcoming_sessions(area, function.id if function else None),
        page=page,
        unpublished=page.unpublished,
        can_write=can_write_in(current_user, area),
        can_network=can_use_network(current_user, area),
        can_link=area_courses.can_link_courses(current_user, area),
        private_feed=_private_feed_url(area, secret),
        action_form=ActionForm(),
        **_labels(),
    )


@bp.route(f"/<{SLUG_PATTERN}:slug>/")
@login_required
def area(slug: str):
    return _area_page(AREA_BY_SLUG[slug])


@bp.route("/funktion/<int:function_id>")
@login_required
def function(function_id: int):
    found, staff = page_data.function(function_id)
    if found is None:
        abort(404)
    return _area_page(found.area, found, staff)


def _visible_item(item_id: int) -> KnowledgeItem:
    item = page_data.item(item_id)
    if item is None:
        abort(404)
    require(can_view_item(current_user, item))
    return item


@bp.route("/viden/<int:item_id>")
@login_required
def item(item_id: int):
    item = _visible_item(item_id)
    return render_template(
        "learning/specialist/item.html",
        item=item,
        body=richtext.render(item.body),
        can_edit=can_edit_item(current_user, item),
        in_plan=item.id in services.planned_readings(current_user),
        form=ActionForm(),
        **_labels(),
    )


@bp.route("/viden/<int:item_id>/fil")
@login_required
def document(item_id: int):
    item = _visible_item(item_id)
    path = uploads.path_of(services.upload_dir(), item.file_key)
    if item.kind is not ItemKind.document or path is None:
        abort(404)
    # Always an attachment: a stored file is never rendered as a page of ours.
    # Read whole (at most the upload limit), so no file handle outlives the answer.
    return send_file(
        io.BytesIO(path.read_bytes()),
        mimetype=item.file_type,
        as_attachment=True,
        download_name=item.file_name,
        max_age=0,
    )


def _atom(slug: str, self_link: str) -> Response:
    """The area's newest published items as an Atom feed."""
    area = AREA_BY_SLUG[slug]
    items = db.session.scalars(page_data.published(area).limit(FEED_SIZE)).all()
    base = public_base_url()
    entries = [
        atom.Entry(
            id=f"{base}{url_for('.item', item_id=i.id)}",
            title=i.title,
            link=base + url_for(".item", item_id=i.id),
            summary=i.summary or richtext.plain(i.body)[:500],
            author=i.author.name,
            published=i.published_at,
            updated=max(i.updated_at, i.published_at),
            categories=tuple(localised(c) for c in i.competences),
        )
        for i in items
    ]
    body = atom.feed(
        # One id for the area's feed, whichever address it is read at.
        feed_id=base + url_for(".feed", slug=slug),
        title=_("%(area)s: knowledge", area=AREA_LABELS[area]),
        subtitle=str(AREA_COVERS[area]),
        page=base + url_for(".area", slug=slug),
        self_link=self_link,
        updated=max((e.updated for e in entries), default=utcnow()),
        entries=entries,
    )
    return Response(body, mimetype="application/atom+xml")


@bp.route(f"/<{SLUG_PATTERN}:slug>/feed.atom")
@login_required
def feed(slug: str):
    require(can_read_knowledge(current_user))
    return _atom(slug, public_base_url() + url_for(".feed", slug=slug))


@bp.route(f"/<{SLUG_PATTERN}:slug>/feed/<secret>.atom")
def private_feed(slug: str, secret: str):
    """The feed at a person's private address, for a reader that cannot sign
    in: 404 for an unknown or stopped secret, or a deactivated owner."""
    if feeds.reader_of(secret) is None:
        abort(404)
    own = public_base_url() + url_for(".private_feed", slug=slug, secret=secret)
    answer = _atom(slug, own)
    answer.headers["Cache-Control"] = "private, no-store"
    answer.headers["X-Robots-Tag"] = "noindex"
    return answer


@bp.route(f"/<{SLUG_PATTERN}:slug>/feedadresse", methods=["POST"])
@login_required
def new_feed_address(slug: str):
    require(can_read_knowledge(current_user))
    if not ActionForm().validate_on_submit():
        return refuse(_("The page had expired. Try again."), 400)
    feeds.new_address(current_user)
    db.session.commit()
    flash(
        _(
            "Your private feed address is ready. Addresses you made before no "
            "longer work."
        ),
        "success",
    )
    return redirect(url_for(".area", slug=slug, _anchor="feed"))


@bp.route(f"/<{SLUG_PATTERN}:slug>/feedadresse/stop", methods=["POST"])
@login_required
def stop_feed_address(slug: str):
    require(can_read_knowledge(current_user))
    if not ActionForm().validate_on_submit():
        return refuse(_("The page had expired. Try again."), 400)
    feeds.stop_address(current_user)
    db.session.commit()
    flash(_("Your private feed addresses no longer work."), "success")
    return redirect(url_for(".area", slug=slug, _anchor="feed"))


# --- writing -------------------------------------------------------------------


def _item_form(area: SpecialistArea, item: KnowledgeItem | None = None) -> ItemForm:
    limit_mb = f"{services.upload_limit() / 1_000_000:.0f}"
    form = ItemForm(obj=item, upload_limit_mb=limit_mb)
    form.competence_ids.choices = competence_choices()
    form.function_id.choices = [("", _("None: the whole area"))] + [
        (str(f.id), f.name) for f in page_data.functions_of(area)
    ]
    if item is not None and not form.is_submitted():
        form.competence_ids.data = [c.id for c in item.competences]
        form.function_id.data = str(item.function_id or "")
        form.kind.data = item.kind.value
    return form


def _fields(form: ItemForm) -> dict:
    return {
        "title": form.title.data,
        "summary": form.summary.data,
        "body": form.body.data,
        "url": form.url.data,
        "function_id": int(form.function_id.data) if form.function_id.data else None,
        "competence_ids": form.competence_ids.data or [],
    }


def _upload(form: ItemForm) -> services.Upload | None:
    storage = form.file.data
    if not storage or not getattr(storage, "filename", ""):
        return None
    # One byte past the limit is enough to know it is too large.
    data = storage.stream.read(services.upload_limit() + 1)
    return services.Upload(storage.filename, data)


def _save(form: ItemForm, write) -> KnowledgeItem | int:
    """Run `write(fields, upload)`, commit, and drop a file the change made
    unused; on a refusal the form gets the message and the status comes back."""
    try:
        item, replaced = write(_fields(form), _upload(form))
    except SpecialistError as exc:
        db.session.rollback()
        exc.add_to(form)
        return _status_of(exc)
    db.session.commit()
    if replaced:
        uploads.discard(services.upload_dir(), replaced)
    return item


@bp.route(f"/<{SLUG_PATTERN}:slug>/ny", methods=["GET", "POST"])
@login_required
def new_item(slug: str):
    area = AREA_BY_SLUG[slug]
    require(can_write_in(current_user, area))
    form = _item_form(area)
    status = 200
    if form.validate_on_submit():

        def write(fields, upload):
            kind = ItemKind(form.kind.data)
            made = services.create_item(
                current_user, area, kind, upload=upload, **fields
            )
            return made, None

        result = _save(form, write)
        if isinstance(result, KnowledgeItem):
            flash(_("The item is saved as a draft."), "success")
            return redirect(url_for(".item", item_id=result.id))
        status = result
    elif form.is_submitted():
        status = 400
    return render_template(
        "learning/specialist/edit.html", form=form, area=area, item=None, **_labels()
    ), status


@bp.route("/viden/<int:item_id>/ret", methods=["GET", "POST"])
@login_required
def edit_item(item_id: int):
    item = _visible_item(item_id)
    require(can_edit_item(current_user, item))
    form = _item_form(item.area, item)
    form.kind.data = item.kind.value  # the kind is chosen once
    status = 200
    if form.validate_on_submit():

        def write(fields, upload):
            replaced = services.update_item(current_user, item, upload=upload, **fields)
            return item, replaced

        result = _save(form, write)
        if isinstance(result, KnowledgeItem):
            flash(_("The item is saved."), "success")
            return redirect(url_for(".item", item_id=item.id))
        status = result
    elif form.is_submitted():
        status = 400
    return render_template(
        "learning/specialist/edit.html",
        form=form,
        area=item.area,
        item=item,
        **_labels(),
    ), status


@bp.route("/viden/<int:item_id>/<any(publish, archive):action>", methods=["POST"])
@login_required
def change_status(item_id: int, action: str):
    item = _visible_item(item_id)
    require(can_edit_item(current_user, item))
    if not ActionForm().validate_on_submit():
        return refuse(_("The page had expired. Try again."), 400)
    try:
        services.change_status(current_user, item, action)
    except SpecialistError as exc:
        return refuse(str(exc), _status_of(exc))
    db.session.commit()
    done = {
        "publish": _("The item is published."),
        "archive": _("The item is archived."),
    }
    flash(done[action], "success")
    return redirect(url_for(".item", item_id=item.id))


@bp.route("/viden/<int:item_id>/udviklingsplan", methods=["POST"])
@login_required
def add_to_plan(item_id: int):
    item = _visible_item(item_id)
    if item.status is not ItemStatus.published:
        return refuse(str(SpecialistError("not_published")), 409)
    if not ActionForm().validate_on_submit():
        return refuse(_("The page had expired. Try again."), 400)
    try:
        activity = services.add_to_plan(current_user, item)
    except (SpecialistError, PlanError) as exc:
        status = 403 if exc.code == "not_allowed" else 409
        return refuse(str(exc), status)
    db.session.commit()
    flash(_("Reading '%(title)s' is added to your development plan.", title=item.title))
    return redirect(url_for("learning.plans.detail", plan_id=activity.plan_id))


# --- the area's courses ------------------------------------------------------


def _whole_number(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


def _course_form(area: SpecialistArea) -> CourseLinkForm:
    form = CourseLinkForm()
    form.course_id.choices = [("", _("Choose a course"))] + [
        (str(cid), f"{title} ({provider})")
        for cid, title, provider in area_courses.linkable(area)
    ]
    form.function_id.choices = [("", _("None: the whole area"))] + [
        (str(f.id), f.name) for f in page_data.functions_of(area)
    ]
    return form


@bp.route(f"/<{SLUG_PATTERN}:slug>/kurser", methods=["GET", "POST"])
@login_required
def courses(slug: str):
    area = AREA_BY_SLUG[slug]
    require(area_courses.can_link_courses(current_user, area))
    form = _course_form(area)
    status = 200
    if form.validate_on_submit():
        function_id = None
        if form.function_id.data:
            # Not a number is no function of this area: the service says so.
            function_id = _whole_number(form.function_id.data) or -1
        try:
            link = area_courses.link_course(
                current_user,
                area,
                _whole_number(form.course_id.data),
                function_id,
            )
        except SpecialistError as exc:
            db.session.rollback()
            exc.add_to(form)
            status = _status_of(exc)
        else:
            db.session.commit()
            flash(
                _("%(title)s is linked to the area.", title=link.course.title),
                "success",
            )
            return redirect(url_for(".courses", slug=slug))
    elif form.is_submitted():
        status = 400
    return render_template(
        "learning/specialist/courses.html",
        area=area,
        form=form,
        links=area_courses.linked(area),
        action_form=ActionForm(),
        **_labels(),
    ), status


@bp.route(f"/<{SLUG_PATTERN}:slug>/kurser/<int:course_id>/fjern", methods=["POST"])
@login_required
def unlink_course(slug: str, course_id: int):
    area = AREA_BY_SLUG[slug]
    require(area_courses.can_link_courses(current_user, area))
    if not ActionForm().validate_on_submit():
        return refuse(_("The page had expired. Try again."), 400)
    try:
        course = area_courses.unlink_course(current_user, area, course_id)
    except SpecialistError as exc:
        return refuse(str(exc), 404 if exc.code == "course_not_linked" else 403)
    db.session.commit()
    flash(_("%(title)s is no longer linked to the area.", title=course.title))
    return redirect(url_for(".courses", slug=slug))
