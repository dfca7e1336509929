"""Numbers as people type them, and the ranges the domain and the columns allow.

The one parser behind every numeric form field (core.forms.NumberField) and the
services' own checks: pure, without Flask, so a view, the CLI and an import agree.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# No number anyone types here is longer; a longer text is refused before parsing.
MAX_LENGTH = 40
# Danish ('1.500,50', '250.000') or plain ('1500.50'): at most two decimals after a
# comma, so '1,500' (English thousands or Danish 1,5?) is refused, not guessed;
# ASCII digits only.
_NUMBER = re.compile(r"^\d{1,3}(\.\d{3})+(,\d{1,2})?$|^\d+([,.]\d{1,2})?$", re.ASCII)
_SPACES = re.compile(r"[\s\u00a0\u202f]")
# PostgreSQL's integer, the type of every id and whole-number column here.
INT4_MAX = 2**31 - 1


class NumberError(ValueError):
    """A value that is not a number, or not one inside its bounds; `code` says which."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def parse_number(text: str) -> Decimal:
    """The number in `text`, read the Danish way where it could be either."""
    text = _SPACES.sub("", text or "")
    text = text.removesuffix("kr.").removesuffix("kr")
    if not text or len(text) > MAX_LENGTH or not _NUMBER.match(text):
        raise NumberError("not_a_number")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif text.count(".") == 1 and len(text.split(".")[1]) == 3:
        text = text.replace(".", "")  # '1.500' is fifteen hundred in Danish
    elif text.count(".") > 1:
        text = text.replace(".", "")  # '1.500.000'
    return Decimal(text)


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
