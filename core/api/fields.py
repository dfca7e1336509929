"""Fields the API's schemas share, with how the document describes them."""

from decimal import Decimal

from marshmallow import fields


class DecimalString(fields.Decimal):
    """An exact decimal as a string ("2.5"), where a JSON number would be a
    float to most readers."""

    def __init__(self, **kwargs):
        kwargs.setdefault("as_string", True)
        super().__init__(**kwargs)


class Money(DecimalString):
    """An amount in kroner with two decimals ("1250.50")."""

    def __init__(self, **kwargs):
        super().__init__(places=2, **kwargs)


# For a computed amount (fields.Function): what the document says of it.
MONEY = {
    "required": True,
    "metadata": {"type": "string", "format": "decimal", "description": "Kroner."},
}


def money(amount: Decimal) -> str:
    """An amount as Money writes it."""
    return f"{amount:.2f}"


def register(api) -> None:
    api.register_field(DecimalString, "string", "decimal")
    api.register_field(Money, "string", "decimal")
