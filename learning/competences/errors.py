"""What the framework refuses, and what is wrong in a framework file, in words the
coordinator understands."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.errors import DomainError
from core.tables import Problem

MESSAGES = {
    "code_taken": _l("Another item already has the code %(code)s."),
    "key_taken": _l("Another profile already has the key %(code)s."),
    "scale_too_short": _l("A scale needs at least two levels."),
    "level_label_missing": _l("Every level needs a label."),
    "level_in_use": _l(
        "Level %(level)s is in use by ratings or targets and cannot be removed."
    ),
    "target_out_of_scale": _l("A target is outside the scale."),
    "priority_out_of_range": _l("A priority must be 1, 2 or 3."),
}

# One problem in an imported file; `value` is the cell's text.
PROBLEMS = {
    "missing": _l("a value is missing"),
    "missing_column": _l("the column is missing from the header"),
    "too_long": _l("the value is too long"),
    "not_a_number": _l("'%(value)s' is not a whole number"),
    "out_of_range": _l("%(value)s is outside the allowed range"),
    "unknown_value": _l("'%(value)s' is not a known value"),
    "duplicate": _l("'%(value)s' appears more than once"),
    "unknown_reference": _l("'%(value)s' is neither in the file nor in the framework"),
    "too_many_fields": _l("the row has more fields than the header"),
    "levels_not_contiguous": _l("the levels must run 0, 1, 2 ... without holes"),
    "level_in_use": _l("level %(value)s is in use, so the scale cannot be shorter"),
    "bad_json": _l("the file is not valid JSON"),
    "not_an_object": _l("the item is not an object"),
    "bad_encoding": _l("the file is neither UTF-8 nor Windows-1252 text"),
    "bad_xlsx": _l("the file is not an Excel workbook (.xlsx)"),
    "too_big": _l("the file is larger than 2 MB"),
}


class FrameworkError(DomainError):
    """A change to the framework that the rules refuse; `code` says which rule."""

    messages = MESSAGES


def problem_text(problem: Problem, fmt: str, problems=PROBLEMS) -> str:
    """'Row 4, column kind: ...' in the words of the file's format; `problems` is
    the table of what can be wrong (an area adds its own codes to this one)."""
    message = problems.get(problem.code)
    what = problem.code if message is None else str(message) % {"value": problem.value}
    if fmt == "json":
        return _(
            "Item %(row)d, field %(column)s: %(what)s",
            row=problem.row,
            column=problem.column,
            what=what,
        )
    return _(
        "Row %(row)d, column %(column)s: %(what)s",
        row=problem.row,
        column=problem.column,
        what=what,
    )
