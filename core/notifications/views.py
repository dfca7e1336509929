"""The person's notifications page: newest first, mark one or all as read."""

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

from core.db import db
from core.notifications import services
from core.notifications.models import Notification
from core.numbers import PAGE
from core.urls import safe_next

bp = Blueprint("notifications", __name__, url_prefix="/notifikationer")


@bp.route("/")
@login_required
def index():
    page = db.paginate(
        sa.select(Notification)
        .where(Notification.user_id == current_user.id)
        .order_by(Notification.id.desc()),
        page=request.args.get("page", 1, type=PAGE.arg),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    return render_template("core/notifications/index.html", page=page)


@bp.route("/<int:notification_id>/laest", methods=["POST"])
@login_required
def read(notification_id: int):
    notification = db.get_or_404(Notification, notification_id)
    if notification.user_id != current_user.id:
        abort(404)
    services.mark_read(current_user, notification.id)
    db.session.commit()
    return redirect(safe_next(notification.link) or url_for("core.notifications.index"))


@bp.route("/alle-laest", methods=["POST"])
@login_required
def read_all():
    services.mark_read(current_user)
    db.session.commit()
    flash(_("All notifications are marked as read."), "success")
    return redirect(url_for("core.notifications.index"))
