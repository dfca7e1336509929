"""The key-person network's page of an area: who is in it (the specialist
functions' staff and the key persons by jobcentre), its latest messages and
invitations, and the form that sends one to everyone in it."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import DateField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import InputRequired, Length, Optional

from core.db import db
from core.forms import BaseForm
from core.permissions import require
from core.registry import add_personal_data
from courses.sessions.services import MeetingInput
from learning.specialist import network
from learning.specialist.labels import AREA_BY_SLUG, AREA_LABELS, SLUGS
from learning.specialist.network import MessageKind
from learning.specialist.permissions import can_use_network

bp = Blueprint("network", __name__, url_prefix="/specialomraader")

KIND_CHOICES = [
    (MessageKind.message.value, _l("A message")),
    (MessageKind.meeting.value, _l("A meeting invitation")),
]


class NetworkForm(BaseForm):
    kind = SelectField(
        _l("What you send"), choices=KIND_CHOICES, validators=[InputRequired()]
    )
    region_id = SelectField(_l("To"), validators=[Optional()])
    subject = StringField(
        _l("Subject"),
        validators=[InputRequired(), Length(max=network.SUBJECT_MAX)],
    )
    body = TextAreaField(_l("Message"), validators=[Length(max=network.BODY_MAX)])
    day = DateField(
        _l("Meeting day"),
        validators=[Optional()],
        description=_l("Only for a meeting invitation."),
    )
    start = TimeField(_l("Starts at"), validators=[Optional()])
    end = TimeField(_l("Ends at"), validators=[Optional()])
    place = StringField(
        _l("Place or online link"), validators=[Length(max=network.PLACE_MAX)]
    )

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.region_id.choices = [("", _l("The whole country"))] + [
            (str(region.id), region.name) for region in regions
        ]


def init_app(app) -> None:
    """Register the network's pages under the specialist areas' address, and
    say how its table holds personal data."""
    app.register_blueprint(bp, name_prefix="learning.specialist")
    add_personal_data(app, network.PERSONAL_DATA)


def _area(slug: str):
    area = AREA_BY_SLUG.get(slug)
    if area is None:
        abort(404)
    return area


def _page(area, form: NetworkForm, status: int = 200):
    everyone = network.members(area)
    return render_template(
        "learning/specialist/network/index.html",
        area=area,
        slug=SLUGS[area],
        area_label=AREA_LABELS[area],
        staff=[m for m in everyone if m.staff],
        key_persons=[m for m in everyone if not m.staff],
        messages=network.recent(area),
        form=form,
    ), status


@bp.route("/<slug>/netvaerk")
@login_required
def index(slug: str):
    area = _area(slug)
    require(can_use_network(current_user, area))
    return _page(area, NetworkForm(regions=network.regions()))


@bp.route("/<slug>/netvaerk/send", methods=["POST"])
@login_required
def send(slug: str):
    area = _area(slug)
    require(can_use_network(current_user, area))
    form = NetworkForm(regions=network.regions())
    if form.validate_on_submit():
        kind = MessageKind(form.kind.data)
        meeting = None
        if kind is MessageKind.meeting:
            meeting = MeetingInput(
                day=form.day.data,
                start=form.start.data,
                end=form.end.data,
                place=form.place.data or "",
            )
        try:
            message = network.send(
                current_user,
                area,
                kind=kind,
                subject=form.subject.data,
                body=form.body.data,
                region_id=int(form.region_id.data) if form.region_id.data else None,
                meeting=meeting,
            )
        except network.NetworkError as exc:
            db.session.rollback()
            exc.add_to(form)
        else:
            db.session.commit()
            flash(
                _(
                    "Sent to %(count)s people in the network.",
                    count=message.recipients,
                ),
                "success",
            )
            return redirect(url_for(".index", slug=slug))
    return _page(area, form, 400)
