"""Numbers as people type them, and the ranges the domain and the columns allow.

The one parser behind every numeric form field (core.forms.NumberField) and the
services' own checks: pure, without Flask, so a view, the CLI and an import agree.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, get_group_symbol, parse_decimal

# No number anyone types here is longer; a longer text is refused before parsing.
MAX_LENGTH = 40
# How numbers are read: Danish first, as people here write them ('250.000' is a
# quarter of a million), then English where Danish cannot read the text at all.
LOCALES = ("da", "en")
# Any space, no-break and narrow no-break spaces included (what a copied figure
# brings), read as one plain space.
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f]+")
# Kroner before or after the figure: 'kr. 1.250', '1.250 kr.', 'DKK 1250', '1.250,-'.
_CURRENCY = re.compile(r"^(?:kr\.?|dkk)\s*|\s*(?:kr\.?|dkk|,-)$", re.IGNORECASE)
# Spaces only as thousands separators: '1 250,50', never '1 50'.
_SPACE_GROUPS = re.compile(r"^\d{1,3}(?: \d{3})+(?:[.,]\d+)?$", re.ASCII)
# ASCII digits with points and commas between them; no sign, exponent or NaN.
_FIGURE = re.compile(r"^\d(?:[\d.,]*\d)?$", re.ASCII)
# PostgreSQL's integer, the type of every id and whole-number column here.
INT4_MAX = 2**31 - 1


class NumberError(ValueError):
    """A value that is not a number, or not one inside its bounds; `code` says which."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class AmbiguousNumberError(NumberError):
    """Text that reads as more than one number ('1,500': 1,5 or 1.500), or that
    is a number only once corrected; `readings` are the numbers it could mean."""

    def __init__(self, text: str, readings: tuple[Decimal, ...]):
        super().__init__("ambiguous")
        self.text = text
        self.readings = readings


def parse_number(text: str, *, locales: tuple[str, str] = LOCALES) -> Decimal:
    """The number in `text`, typed as Danes write it ('1.250,50', '1 250,50',
    'kr. 1.250') or in English where that is unambiguous ('1250.50').

    Babel's strict parsing reads the text in both locales. Where both read it and
    disagree, Danish wins for points alone ('250.000'), as Danes group thousands
    with points; a comma ('1,500') could be either, and is refused with both
    readings rather than guessed."""
    if not text or len(text) > MAX_LENGTH:
        raise NumberError("not_a_number")
    figure = _CURRENCY.sub("", _SPACES.sub(" ", text).strip()).strip()
    if " " in figure:
        if not _SPACE_GROUPS.match(figure):
            raise NumberError("not_a_number")
        figure = figure.replace(" ", "")
    if not _FIGURE.match(figure):
        raise NumberError("not_a_number")
    readings, corrections = {}, []
    for locale in locales:
        try:
            readings[locale] = parse_decimal(figure, locale=locale, strict=True)
        except NumberFormatError as exc:
            corrections += _corrections(exc, locale)
    first, second = (readings.get(locale) for locale in locales)
    if first is not None and second is not None and first != second:
        if set(re.sub(r"\d", "", figure)) <= {get_group_symbol(locales[0])}:
            return first
        raise AmbiguousNumberError(text.strip(), (first, second))
    if first is not None or second is not None:
        return first if first is not None else second
    if corrections:
        raise AmbiguousNumberError(text.strip(), tuple(dict.fromkeys(corrections)))
    raise NumberError("not_a_number")


def _corrections(exc: NumberFormatError, locale: str) -> list[Decimal]:
    """The numbers Babel suggests a malformed text was meant to be."""
    found = []
    for suggestion in exc.suggestions or ():
        try:
            found.append(parse_decimal(suggestion, locale=locale))
        except NumberFormatError:
            continue
    return found


@dataclass(frozen=True)
class Bounds:
    """The values a field may take: from `minimum` to `maximum`, with at most
    `places` decimals; always inside the column the value is stored in."""

    minimum: Decimal
    maximum: Decimal
    places: int = 0

    def check(self, value, *, rounding: bool = False) -> Decimal:
        """`value` (a number, or its plain text: '1500.5') as a Decimal inside the
        bounds; with `rounding`, decimals beyond the column's are rounded away.
        Text as a person types it goes through parse_number first."""
        try:
            amount = Decimal(str(value))
        except (InvalidOperation, ValueError) as exc:
            raise NumberError("not_a_number") from exc
        if not amount.is_finite():
            raise NumberError("not_a_number")
        if amount < self.minimum:
            raise NumberError("negative" if amount < 0 else "too_small")
        if amount > self.maximum:
            raise NumberError("too_large")
        # Only now, inside the bounds, is the quantum within Decimal's precision.
        step = Decimal(1).scaleb(-self.places)
        if rounding:
            return self.check(amount.quantize(step))
        if amount != amount.quantize(step):
            raise NumberError("too_precise")
        return amount

    def whole(self, value) -> int:
        """`value` as an int inside the bounds (for bounds without decimals)."""
        return int(self.check(value))

    def arg(self, text: str) -> int:
        """A whole number from a query string, for `request.args.get(name,
        default, type=BOUNDS.arg)`: digits outside the bounds give the default."""
        if not text.isascii() or not text.isdigit():
            raise NumberError("not_a_number")
        return self.whole(text)


# Seats on a session, or a provider's default: a large online session, not a stadium.
SEATS = Bounds(Decimal(0), Decimal(10_000))
# A price per participant; a diploma module costs some ten thousand kroner.
PRICE = Bounds(Decimal(0), Decimal(1_000_000), 2)
# A unit's budget for a year (Numeric(12, 2) holds below ten billion).
BUDGET = Bounds(Decimal(0), Decimal(1_000_000_000), 2)
# A course's length in days, Numeric(5, 1).
DAYS = Bounds(Decimal("0.5"), Decimal(1000), 1)
# The years the calendar rules know (courses.sessions.timing).
YEAR = Bounds(Decimal(2000), Decimal(2100))
# A row's id in an address or a filter: anything larger names no row.
ID = Bounds(Decimal(1), Decimal(INT4_MAX))
# A page of a list; no list here has that many pages, and OFFSET stays small.
PAGE = Bounds(Decimal(1), Decimal(100_000))
