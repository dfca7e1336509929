"""Forms for the calendar pages: confirmations, the upload, the preview and feeds."""

from core.forms import BaseForm


class ConfirmForm(BaseForm):
    """A button that changes something: CSRF only."""
