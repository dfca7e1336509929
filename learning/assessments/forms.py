"""The assessment form: one radio group and one comment per competence."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, TextAreaField
from wtforms.validators import Length, Optional

from core.forms import BaseForm
from learning.competences.models import Competence, Scale

COMMENT_MAX = 2000


class AssessmentForm(BaseForm):
    """Built per person: `level_<id>` and `comment_<id>` for each competence."""

    competence_ids: list[int] = []

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not self.entries():
            self.form_errors.append(_l("Choose a level for at least one competence."))
            ok = False
        for cid in self.competence_ids:
            comment = self[f"comment_{cid}"]
            if comment.data and comment.data.strip() and self.level(cid) is None:
                comment.errors = [
                    *comment.errors,
                    _l("Choose a level to go with the comment."),
                ]
                ok = False
        return ok

    def level(self, competence_id: int) -> int | None:
        return self[f"level_{competence_id}"].data

    def entries(self) -> dict[int, tuple[int, str]]:
        """competence id -> (level, comment) for every competence given a level."""
        return {
            cid: (self.level(cid), self[f"comment_{cid}"].data or "")
            for cid in self.competence_ids
            if self.level(cid) is not None
        }


def assessment_form(
    competences: list[Competence], scale: Scale, *, data: dict | None = None
) -> AssessmentForm:
    """An AssessmentForm class for these competences, instantiated with `data`."""
    choices = [(level.value, level.name) for level in scale.levels]
    fields = {"competence_ids": [c.id for c in competences]}
    for competence in competences:
        fields[f"level_{competence.id}"] = RadioField(
            competence.title,
            choices=choices,
            coerce=int,
            validators=[Optional()],
        )
        fields[f"comment_{competence.id}"] = TextAreaField(
            _l("Comment"),
            validators=[Optional(), Length(max=COMMENT_MAX)],
        )
    form_class = type("PersonAssessmentForm", (AssessmentForm,), fields)
    return form_class(data=data)
