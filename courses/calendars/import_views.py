"""A provider's calendar page: its feed, the upload, the preview and applying it."""

from datetime import timedelta

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
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from core.db import db
from core.permissions import require
from courses.calendars import imports, services
from courses.calendars.errors import CalendarImportError
from courses.calendars.forms import FeedForm, UploadForm, preview_form
from courses.calendars.models import CalendarImport
from courses.calendars.permissions import can_import_calendar, can_register_feed
from courses.calendars.views import links_for
from courses.catalogue import services as catalogue
from courses.catalogue.models import Provider
from courses.catalogue.permissions import can_use_provider_pages

# Room for the multipart envelope around the file itself.
_ENVELOPE = 64 * 1024
# The preview's ?efter= choice: match new events to courses by category or title.
_GROUPINGS = {"kategori": imports.BY_CATEGORY, "titel": imports.BY_TITLE}
# A file of thousands of sessions must not make a page of thousands of rows.
_SHOWN_PER_GROUP, _SHOWN_PER_LIST = 25, 200


def _provider_page(provider: Provider, form: UploadForm, status: int = 200):
    recent = db.session.scalars(
        sa.select(CalendarImport)
        .where(CalendarImport.provider_id == provider.id)
        .order_by(CalendarImport.id.desc())
        .limit(10)
    ).all()
    links = links_for(".provider_feed", provider_id=provider.id)
    feed_form = FeedForm(feed_url=provider.feed_url)
    return render_template(
        "courses/calendars/provider.html",
        provider=provider,
        form=form,
        feed_form=feed_form,
        imports=recent,
        links=links,
        feed_url=links["https"],
        can_register_feed=can_register_feed(current_user, provider),
        problems=services.feed_problems(provider),
    ), status


@login_required
def providers():
    require(can_use_provider_pages(current_user))
    found = db.session.scalars(catalogue.providers_for(current_user)).all()
    if len(found) == 1:
        return redirect(url_for(".provider", provider_id=found[0].id))
    return render_template("courses/calendars/providers.html", providers=found)


@login_required
def provider(provider_id: int):
    provider = db.get_or_404(Provider, provider_id)
    require(can_import_calendar(current_user, provider))
    limit = current_app.config["CALENDAR_IMPORT_MAX_BYTES"]
    request.max_content_length = limit + _ENVELOPE
    form = UploadForm()
    if not form.validate_on_submit():
        return _provider_page(provider, form, 400 if request.method == "POST" else 200)
    upload = form.file.data
    data = upload.read(limit + 1)  # one byte over the limit is enough to know
    try:
        calendar_import, _events = imports.store(
            current_user._get_current_object(),
            provider,
            data,
            filename=upload.filename or "",
            replace_all=form.replace_all.data,
        )
    except CalendarImportError as exc:
        db.session.rollback()
        form.file.errors = [*form.file.errors, str(exc)]
        return _provider_page(provider, form, 400)
    db.session.commit()
    return redirect(
        url_for(".preview", provider_id=provider.id, import_id=calendar_import.id)
    )


def _drafts_made(courses) -> str:
    titles = ", ".join(course.title for course in courses)
    return ngettext(
        "%(num)d new course is a draft (%(titles)s): check its price and "
        "description, then publish it from its page.",
        "%(num)d new courses are drafts (%(titles)s): check their prices and "
        "descriptions, then publish them from their pages.",
        len(courses),
        titles=titles,
    )


def _load_import(provider_id: int, import_id: int) -> CalendarImport:
    calendar_import = db.get_or_404(CalendarImport, import_id)
    if calendar_import.provider_id != provider_id:
        abort(404)
    require(can_import_calendar(current_user, calendar_import.provider))
    return calendar_import


@login_required
def preview(provider_id: int, import_id: int):
    calendar_import = _load_import(provider_id, import_id)
    if calendar_import.applied_at is not None:
        flash(_("This file has already been imported."), "info")
        return redirect(url_for(".provider", provider_id=provider_id))
    provider = calendar_import.provider
    if request.method == "POST":
        group_by = request.form.get("group_by")
    else:
        group_by = _GROUPINGS.get(request.args.get("efter", ""))
    try:
        events = imports.parse(calendar_import.data)
        plan = imports.build_plan(
            provider,
            events,
            request.form or None,
            group_by=group_by,
            replace_all=calendar_import.replace_all,
        )
    except CalendarImportError as exc:
        abort(400, description=str(exc))
    form = preview_form(plan)
    if form.validate_on_submit():
        choices = {group.key: form[group.key].data for group in plan.choices}
        try:
            plan = imports.apply(
                current_user._get_current_object(),
                calendar_import,
                choices,
                group_by=plan.group_by,
            )
        except CalendarImportError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        except sa.exc.IntegrityError:
            # A change made at the same moment collided with ours: nothing is saved.
            db.session.rollback()
            form.form_errors.append(
                _(
                    "The sessions changed while you were importing. "
                    "Nothing was saved; please try again."
                )
            )
        else:
            db.session.commit()
            counts = plan.counts
            flash(
                _(
                    "The calendar is imported: %(create)s new, %(change)s changed "
                    "and %(cancel)s cancelled sessions.",
                    **counts,
                ),
                "success",
            )
            if plan.new_courses:
                flash(_drafts_made(plan.new_courses), "info")
            return redirect(url_for(".provider", provider_id=provider_id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "courses/calendars/preview.html",
        provider=provider,
        calendar_import=calendar_import,
        plan=plan,
        form=form,
        one_day=timedelta(days=1),
        groupings=_GROUPINGS,
        shown_per_group=_SHOWN_PER_GROUP,
        shown_per_list=_SHOWN_PER_LIST,
        field_labels={
            "location": _("Place"),
            "status": _("Status"),
            "capacity": _("Seats"),
        },
        status_labels={
            "planned": _("planned"),
            "open": _("open for booking"),
            "cancelled": _("cancelled"),
        },
        feed_url=links_for(".provider_feed", provider_id=provider.id)["https"],
    ), status


@login_required
def feed(provider_id: int):
    provider = db.get_or_404(Provider, provider_id)
    require(can_register_feed(current_user, provider))
    form = FeedForm()
    if not form.validate_on_submit():
        for message in form.feed_url.errors:
            flash(message, "error")
        return redirect(url_for(".provider", provider_id=provider.id))
    services.set_feed_url(
        current_user._get_current_object(), provider, form.feed_url.data
    )
    db.session.commit()
    flash(_("The calendar feed address is saved."), "success")
    return redirect(url_for(".provider", provider_id=provider.id))


def too_large(error):
    limit = current_app.config["CALENDAR_IMPORT_MAX_BYTES"]
    return render_template(
        "courses/calendars/too_large.html", limit_mb=round(limit / 1_000_000, 1)
    ), 413


def register(bp: Blueprint) -> None:
    """Add the provider's calendar pages (upload, preview, feed) to `bp`."""
    bp.add_url_rule("/udbyder/kalender", view_func=providers)
    bp.add_url_rule(
        "/udbyder/<int:provider_id>/kalender",
        view_func=provider,
        methods=["GET", "POST"],
    )
    bp.add_url_rule(
        "/udbyder/<int:provider_id>/kalender/import/<int:import_id>",
        view_func=preview,
        methods=["GET", "POST"],
    )
    bp.add_url_rule(
        "/udbyder/<int:provider_id>/kalender/feed", view_func=feed, methods=["POST"]
    )
    bp.register_error_handler(RequestEntityTooLarge, too_large)
