"""Forms for login, accounts and the organisation."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import Email, EqualTo, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from core.forms import BaseForm, EnumSelectField
from core.people.models import EmployerKind, Role, SpecialistArea, UnitKind

ROLE_LABELS = {
    Role.employee: _l("Employee"),
    Role.manager: _l("Manager"),
    Role.coordinator: _l("Competence coordinator"),
    Role.provider_staff: _l("Course provider staff"),
    Role.admin: _l("Administrator"),
}
EMPLOYER_LABELS = {
    EmployerKind.municipal: _l("Municipal employee"),
    EmployerKind.state: _l("State employee"),
}
UNIT_LABELS = {
    UnitKind.region: _l("Employment region"),
    UnitKind.jobcentre: _l("Jobcentre"),
    UnitKind.team: _l("Team"),
}
AREA_LABELS = {
    SpecialistArea.gender_equality: _l("Gender equality"),
    SpecialistArea.ethnic_minorities: _l("Ethnic minorities"),
    SpecialistArea.disability: _l("Disability"),
    SpecialistArea.eures: _l("EURES"),
}


class LoginForm(BaseForm):
    email = EmailField(_l("E-mail"), validators=[InputRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[InputRequired()])
    remember = BooleanField(_l("Keep me signed in for 14 days"))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UserForm(BaseForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    email = EmailField(
        _l("E-mail"), validators=[InputRequired(), Email(), Length(max=254)]
    )
    roles = MultiCheckboxField(
        _l("Roles"),
        choices=[(role.value, label) for role, label in ROLE_LABELS.items()],
        validators=[InputRequired(message=_l("Choose at least one role."))],
    )
    employer_kind = EnumSelectField(
        _l("Employer"), enum=EmployerKind, labels=EMPLOYER_LABELS
    )
    team_id = SelectField(_l("Team"), coerce=int, validators=[Optional()])
    active = BooleanField(_l("Active"), default=True)

    @staticmethod
    def data_of(user) -> dict:
        """The fields as the account stands, in the form's own terms: the roles as
        the string choices the boxes carry (an enum member never ticks a box)."""
        return {
            "name": user.name,
            "email": user.email,
            "roles": sorted(role.value for role in user.roles),
            "employer_kind": user.employer_kind.value,
            "team_id": user.team_id or 0,
            "active": user.active,
        }

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.team_id.choices = [(0, _l("No team"))] + [
            (team.id, f"{team.parent.name if team.parent else ''} – {team.name}")
            for team in teams
        ]


class PasswordForm(BaseForm):
    current = PasswordField(_l("Current password"), validators=[InputRequired()])
    new = PasswordField(
        _l("New password"),
        description=_l("At least 10 characters."),
        validators=[InputRequired(), Length(min=10, max=200)],
    )
    repeat = PasswordField(
        _l("Repeat the new password"),
        validators=[
            InputRequired(),
            EqualTo("new", message=_l("The passwords differ.")),
        ],
    )


class ForgotPasswordForm(BaseForm):
    email = EmailField(_l("E-mail"), validators=[InputRequired(), Length(max=254)])


class NewPasswordForm(BaseForm):
    new = PasswordField(
        _l("New password"),
        description=_l("At least 10 characters."),
        validators=[InputRequired(), Length(min=10, max=200)],
    )
    repeat = PasswordField(
        _l("Repeat the new password"),
        validators=[
            InputRequired(),
            EqualTo("new", message=_l("The passwords differ.")),
        ],
    )


class UnitForm(BaseForm):
    kind = EnumSelectField(_l("Kind"), enum=UnitKind, labels=UNIT_LABELS)
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    parent_id = SelectField(_l("Part of"), coerce=int, validators=[Optional()])
    manager_email = EmailField(
        _l("Manager's e-mail"), validators=[Optional(), Email(), Length(max=254)]
    )
    deputy_email = EmailField(
        _l("Deputy's e-mail"), validators=[Optional(), Email(), Length(max=254)]
    )
    deputising = BooleanField(_l("The deputy is acting for the manager now"))

    def __init__(self, *args, parents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.parent_id.choices = [(0, _l("Nothing (a region)"))] + [
            (unit.id, f"{UNIT_LABELS[unit.kind]}: {unit.name}") for unit in parents
        ]


class KeyPersonForm(BaseForm):
    email = EmailField(_l("E-mail"), validators=[InputRequired(), Email()])
    area = EnumSelectField(
        _l("Specialist area"), enum=SpecialistArea, labels=AREA_LABELS
    )
    jobcentre_id = SelectField(_l("Jobcentre"), coerce=int)

    def __init__(self, *args, jobcentres=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.jobcentre_id.choices = [(unit.id, unit.name) for unit in jobcentres]


# A coordinator's appointments of their jobcentre's key persons (issue 17).
class _PersonChoice(BaseForm):
    person_id = SelectField(
        _l("Person"),
        coerce=int,
        validators=[InputRequired(message=_l("Choose a person."))],
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Only the jobcentre's own staff can be chosen: anyone else is refused
        # by the form, before any service sees the id.
        self.person_id.choices = [(p.id, _person_label(p)) for p in people]


def _person_label(person) -> str:
    return f"{person.name} ({person.team.name})" if person.team else person.name


class AppointForm(_PersonChoice):
    area = EnumSelectField(
        _l("Specialist area"), enum=SpecialistArea, labels=AREA_LABELS
    )


class ReplaceForm(_PersonChoice):
    """Hand one appointment over to a colleague."""


class EndForm(BaseForm):
    """Relieve a key person (the CSRF token only)."""
