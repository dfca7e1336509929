"""What the catalogue refuses, in words its users understand."""

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from core.errors import DomainError
from core.numbers import DAYS, PRICE

COURSE_MESSAGES = {
    "title_missing": _l("Give the course a title."),
    "price_not_a_number": _l("The price must be a number."),
    "price_negative": _l("The price cannot be negative."),
    "price_too_large": _l("The price must be between %(min)s and %(max)s kr."),
    "duration_out_of_range": _l(
        "The duration must be between %(min)s and %(max)s days."
    ),
    "prerequisite_cycle": _l(
        "A course cannot require itself, or a course that requires it."
    ),
    "description_missing": _l(
        "Describe the course: people decide from the description."
    ),
    "publish_archived": _l("An archived course cannot be published."),
    "not_publishable": _l(
        "The course cannot be published yet. %(reasons)s Edit the course and try again."
    ),
}
PROVIDER_MESSAGES = {
    "key_invalid": _l("Use lower-case letters, digits and dashes."),
    "key_taken": _l("Another provider already has this key."),
    "name_missing": _l("Give the provider a name."),
    "capacity_negative": _l("The number of seats cannot be below zero."),
}
# The query string's filters; `name` is the filter's.
LISTING_MESSAGES = {
    "unknown_filter": _l("The catalogue has no filter called “%(name)s”."),
    "repeated_filter": _l("The filter “%(name)s” is given more than once."),
    "bad_number": _l("The filter “%(name)s” must be a whole number."),
    "bad_date": _l("The filter “%(name)s” must be a date (YYYY-MM-DD)."),
    "bad_flag": _l("The filter “%(name)s” must be 0 or 1."),
    "bad_choice": _l("The filter “%(name)s” has a value the catalogue does not know."),
    "bad_text": _l("The filter “%(name)s” contains a character that is not allowed."),
    "too_long": _l("The search text is too long (at most 200 characters)."),
    "dates_reversed": _l("The end date is before the start date."),
}


# The ranges the messages name, printed in the reader's number format
# ('mellem 0,5 og 1.000').
RANGES = {
    "price_too_large": PRICE,
    "duration_out_of_range": DAYS,
}


class CatalogueError(DomainError):
    """A change to the catalogue (a course, a provider) that the rules refuse."""

    messages = COURSE_MESSAGES | PROVIDER_MESSAGES

    def _render(self, message) -> str:
        bounds = RANGES.get(self.code)
        if bounds is None:
            return super()._render(message)
        return str(message) % {
            "min": format_decimal(bounds.minimum, format="#,##0.##"),
            "max": format_decimal(bounds.maximum, format="#,##0.##"),
        }


class ListingError(DomainError):
    """A query string the catalogue cannot answer; param `name` is the filter."""

    messages = LISTING_MESSAGES
