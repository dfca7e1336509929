"""What the specialist areas' knowledge pages refuse, in words the author or
the reader understands."""

from flask_babel import lazy_gettext as _l

from core.errors import DomainError

MESSAGES = {
    "not_allowed": _l("You may not do that in this specialist area."),
    "bad_title": _l("Give the item a title of at most 300 characters."),
    "text_too_long": _l("The text may be at most %(max)s characters."),
    "no_competences": _l("Choose at least one competence the item helps develop."),
    "bad_competence": _l("One of the chosen competences does not exist."),
    "no_body": _l("Write the text of the news or guidance note."),
    "bad_url": _l("Give a web address that starts with https:// or http://."),
    "no_file": _l("Choose the document to upload."),
    "file_type": _l(
        "That type of file cannot be uploaded. Allowed are PDF, Word (.docx), "
        "Excel (.xlsx), PowerPoint (.pptx), PNG and JPEG pictures, text and CSV."
    ),
    "file_mismatch": _l(
        "The content of the file does not match its name (%(name)s). Save it "
        "again in the format the name says, and upload it again."
    ),
    "file_empty": _l("The file is empty."),
    "file_too_large": _l("The file is larger than %(limit)s MB."),
    "bad_function": _l("Choose a specialist function of this area."),
    "wrong_state": _l("The item is %(status)s, so that cannot be done now."),
    "not_published": _l("Only a published item can be added to a plan."),
    "in_plan": _l("The item is already in your development plan."),
    "unknown_course": _l("Choose a course from the catalogue."),
    "archived_course": _l("The course is archived, so it cannot be linked."),
    "course_linked": _l("%(title)s is already linked to this area."),
    "course_not_linked": _l("The course is not linked to this area."),
}


class SpecialistError(DomainError):
    """A change to an area's knowledge items that the rules refuse."""

    messages = MESSAGES
