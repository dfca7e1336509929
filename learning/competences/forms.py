"""Forms for the framework: areas, competences, the scale, profiles, job functions."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, InputRequired, Length, Optional, Regexp

from core.db import db
from core.forms import REQUIRED, BaseForm, EnumSelectField
from core.people.forms import MultiCheckboxField
from learning.competences.labels import (
    KIND_LABELS,
    LAYER_LABELS,
    PRIORITY_LABELS,
    localised,
)
from learning.competences.models import (
    PRIORITIES,
    Area,
    Competence,
    CompetenceKind,
    Layer,
    Profile,
    Scale,
)

CODE = Regexp(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
    message=_l("Use letters, digits, '.', '-' and '_' only."),
)


def _described(key: str, label: str, *, key_max: int, title_max: int) -> type[BaseForm]:
    """A form base with a code-like `key` field, the Danish and English titles and a
    description, in that order: what areas, competences and profiles share."""
    fields = {
        key: StringField(
            label, validators=[InputRequired(REQUIRED), Length(max=key_max), CODE]
        ),
        "title": StringField(
            _l("Title (Danish)"),
            validators=[InputRequired(REQUIRED), Length(max=title_max)],
        ),
        "title_en": StringField(
            _l("Title (English)"), validators=[Optional(), Length(max=title_max)]
        ),
        "description": TextAreaField(
            _l("Description"), validators=[Optional(), Length(max=4000)]
        ),
    }
    return type("DescribedForm", (BaseForm,), fields)


class AreaForm(_described("code", _l("Code"), key_max=40, title_max=200)):
    """An area: code, titles and description."""


class CompetenceForm(_described("code", _l("Code"), key_max=40, title_max=300)):
    kind = EnumSelectField(_l("Kind"), enum=CompetenceKind, labels=KIND_LABELS)
    layer = EnumSelectField(
        _l("Layer"),
        enum=Layer,
        labels=LAYER_LABELS,
        description=_l(
            "Basic: for all staff. Specific: for a target group or a function."
        ),
    )
    area_id = SelectField(_l("Area"), coerce=int, validators=[InputRequired(REQUIRED)])
    source = StringField(_l("Source"), validators=[Optional(), Length(max=300)])

    def __init__(self, *args, areas: list[Area], **kwargs):
        super().__init__(*args, **kwargs)
        self.area_id.choices = [(a.id, f"{a.code} {localised(a)}") for a in areas]


class ProfileBaseForm(_described("key", _l("Key"), key_max=60, title_max=200)):
    basic = BooleanField(_l("Basic profile: applies to every person"))
    competence_ids: list[int] = []

    def requirements(self) -> dict[int, tuple[int, int]]:
        """competence id -> (target, priority) for every competence given a target."""
        result = {}
        for cid in self.competence_ids:
            target = self[f"target_{cid}"].data
            if target not in (None, ""):
                result[cid] = (int(target), self[f"priority_{cid}"].data)
        return result


def profile_form(
    competences: list[Competence],
    scale: Scale,
    *,
    profile: Profile | None,
    formdata_default: bool = True,
) -> ProfileBaseForm:
    """A profile form with a target and a priority field per competence."""
    targets = [("", _l("Not required"))] + [
        (str(level.value), f"{level.value} {level.name}") for level in scale.levels
    ]
    priorities = [(p, PRIORITY_LABELS[p]) for p in PRIORITIES]
    fields = {"competence_ids": [c.id for c in competences]}
    for c in competences:
        fields[f"target_{c.id}"] = SelectField(
            _l("Target for %(code)s", code=c.code),
            choices=targets,
            validators=[Optional()],
        )
        fields[f"priority_{c.id}"] = SelectField(
            _l("Priority for %(code)s", code=c.code),
            choices=priorities,
            coerce=int,
            default=2,
        )
    form_class = type("ProfileForm", (ProfileBaseForm,), fields)
    data = None
    if profile is not None:
        data = {
            "key": profile.key,
            "title": profile.title,
            "title_en": profile.title_en,
            "description": profile.description,
            "basic": profile.basic,
        }
        for r in profile.requirements:
            data[f"target_{r.competence_id}"] = str(r.target)
            data[f"priority_{r.competence_id}"] = r.priority
    return form_class(data=data)


class ScaleBaseForm(BaseForm):
    name = StringField(
        _l("Name of the scale"), validators=[InputRequired(REQUIRED), Length(max=200)]
    )
    remove_top = BooleanField(_l("Remove the highest level"))
    level_count: int = 0

    def levels(self) -> list[tuple[str, str]]:
        """(label, description) for levels 0..n, with the optional new one and
        without the top one when it is to be removed."""
        result = []
        for value in range(self.level_count + 1):
            label = (self[f"label_{value}"].data or "").strip()
            text = (self[f"description_{value}"].data or "").strip()
            if value == self.level_count and not label:
                continue  # the empty row for a new level
            result.append((label, text))
        if self.remove_top.data and result:
            result.pop()
        return result


def scale_form(scale: Scale) -> ScaleBaseForm:
    """One label and description per level, plus an empty row for a new level."""
    fields = {"level_count": len(scale.levels)}
    for value in range(len(scale.levels) + 1):
        new = value == len(scale.levels)
        fields[f"label_{value}"] = StringField(
            _l("New level %(value)d: label", value=value)
            if new
            else _l("Level %(value)d: label", value=value),
            validators=[Optional() if new else InputRequired(REQUIRED), Length(max=80)],
        )
        fields[f"description_{value}"] = TextAreaField(
            _l("Level %(value)d: what it means", value=value),
            validators=[Optional(), Length(max=2000)],
        )
    form_class = type("ScaleForm", (ScaleBaseForm,), fields)
    data = {"name": scale.name}
    for level in scale.levels:
        data[f"label_{level.value}"] = level.label
        data[f"description_{level.value}"] = level.description
    return form_class(data=data)


class JobFunctionsForm(BaseForm):
    profiles = MultiCheckboxField(_l("Job functions"), coerce=int)

    def __init__(self, *args, choices: list[Profile], **kwargs):
        super().__init__(*args, **kwargs)
        self.profiles.choices = [(p.id, localised(p)) for p in choices]


class ImportForm(BaseForm):
    file = FileField(
        _l("Framework file (CSV, Excel or JSON)"),
        validators=[
            FileRequired(REQUIRED),
            FileAllowed(
                ["csv", "xlsx", "json"], _l("Choose a .csv, an .xlsx or a .json file.")
            ),
        ],
    )


class ApplyImportForm(BaseForm):
    """The checked file travels back with the confirmation, so no state is kept."""

    payload = HiddenField(validators=[InputRequired()])
    fmt = HiddenField(validators=[InputRequired(), AnyOf(["csv", "xlsx", "json"])])


class RetireForm(BaseForm):
    """Retire (or delete, when unused) a competence; the reason goes in the record."""

    reason = TextAreaField(
        _l("Why? (optional)"),
        validators=[
            Optional(),
            Length(max=1000, message=_l("Write at most %(max)d characters.")),
        ],
    )


def competence_choices() -> list[tuple[int, str]]:
    """Every competence that can still be chosen, as (id, 'code title') in the
    reader's language, by code: the choices of the forms that pick one."""
    rows = db.session.execute(
        sa.select(Competence.id, Competence.code, Competence.title, Competence.title_en)
        .where(Competence.retired.is_(False))
        .order_by(Competence.code)
    )
    return [(row.id, f"{row.code} {localised(row)}") for row in rows]
