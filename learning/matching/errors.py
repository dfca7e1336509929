"""What matching refuses: a course link, a suggestion page's filter, a row of the
link import; in words the coordinator or the person filtering understands."""

from flask_babel import lazy_gettext as _l

from core.errors import DomainError
from core.tables import Problem
from learning.competences.errors import PROBLEMS, problem_text

LINK_MESSAGES = {
    "bad_level": _l("The level must be from 1 to %(top)s."),
    "retired": _l("The competence is retired and cannot be linked to a course."),
    "no_link": _l("The course is not linked to that competence."),
}
# The suggestion pages' query string; `name` is the filter's.
FILTER_MESSAGES = {
    "unknown_filter": _l("The page has no filter called “%(name)s”."),
    "repeated_filter": _l("The filter “%(name)s” is given more than once."),
    "bad_text": _l("The filter “%(name)s” is too long or contains invalid text."),
    "bad_number": _l("The filter “%(name)s” must be a whole number."),
    "unknown_area": _l("There is no such competence area."),
    "bad_choice": _l("The competence kind must be knowledge, action or attitude."),
    "bad_flag": _l("The filter “%(name)s” must be 0 or 1."),
    "bad_month": _l("The month must be written as year-month, e.g. 2027-03."),
}
# A row of the course-competence import; the framework's texts where they fit.
LINK_PROBLEMS = PROBLEMS | {
    "unknown_course": _l(
        "'%(value)s' is not a course in the catalogue (give its key or title)"
    ),
    "ambiguous_course": _l(
        "several courses are called '%(value)s'; give the course's key or #id"
    ),
    "unknown_competence": _l("'%(value)s' is not a competence in the framework"),
    "retired": _l("the competence %(value)s is retired"),
    "bad_level": _l("the level must be from 1 to %(value)s"),
    "bad_encoding": _l("the file is neither UTF-8 nor Windows-1252 text"),
    "bad_xlsx": _l("the file is not an Excel workbook (.xlsx)"),
}


class LinkError(DomainError):
    """A change to a course's competences that the rules refuse; `code` says which."""

    messages = LINK_MESSAGES


class FilterError(DomainError):
    """A filter the pages cannot answer; `code` says what is wrong with `name`."""

    messages = FILTER_MESSAGES


def link_problem_text(problem: Problem) -> str:
    """'Row 4, column niveau: ...', in Danish."""
    return problem_text(problem, "csv", LINK_PROBLEMS)
