"""One way to say what went wrong: `DomainError`, which each area subclasses in
its own errors.py with the table of its Danish messages."""

from collections.abc import Mapping

from flask import current_app, has_app_context, has_request_context
from flask_babel import force_locale


class DomainError(ValueError):
    """A change the rules refuse.

    `code` names the rule (tests and callers match on it), `field` the form field
    the message belongs beside (None: the whole form), and `params` fill the
    message. An area subclasses it once and sets `messages`, its code -> lazy
    gettext table; str() says the message in the user's language, and in the
    default language (Danish) where there is no request: the CLI and the tests.
    """

    messages: Mapping[str, object] = {}

    # `code` is positional-only so that a message may have a %(code)s of its own.
    def __init__(self, code: str, /, field: str | None = None, **params) -> None:
        super().__init__(code)
        self.code = code
        self.field = field
        self.params = params

    def __str__(self) -> str:
        message = self.messages.get(self.code)
        if message is None:
            return self.code
        if has_app_context() and not has_request_context():
            with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
                return self._render(message)
        return self._render(message)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, field={self.field!r})"

    def _render(self, message) -> str:
        params = {key: str(value) for key, value in self.params.items()}
        return str(message) % params if params else str(message)

    def add_to(self, form) -> None:
        """Show the message beside its field on `form`, or above the form."""
        field = form._fields.get(self.field) if self.field else None
        if field is not None:
            field.errors = [*field.errors, str(self)]
        else:
            form.form_errors.append(str(self))
