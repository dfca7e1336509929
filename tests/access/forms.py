"""The forms of a page as a browser would send them: each POST form's action and
the values it holds when nobody has typed anything (hidden fields, the chosen
option, the checked boxes, the text already in a field)."""

from html.parser import HTMLParser

TEXT_INPUTS = ("hidden", "text", "email", "number", "date", "time", "url", "search")


class PageForms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self.options: dict[str, list[str]] = {}  # a select's name -> its values
        self._select: tuple[str, list[str], list[str]] | None = None
        self._option: tuple[str | None, bool] | None = None
        self._textarea: str | None = None
        self._text = ""

    def _add(self, name: str, value: str) -> None:
        if self.forms and name:
            self.forms[-1][1].append((name, value))

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self.forms.append((a.get("action", ""), []))
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" in a:
                self._add(a.get("name", ""), a.get("value", "y"))
            elif kind in TEXT_INPUTS or kind == "password":
                self._add(a.get("name", ""), a.get("value", ""))
        elif tag == "select":
            self._select = (a.get("name", ""), [], [])
        elif tag == "option" and self._select is not None:
            self._option = (a.get("value"), "selected" in a)
            self._text = ""
        elif tag == "textarea":
            self._textarea, self._text = a.get("name", ""), ""

    def handle_data(self, data):
        self._text += data

    def handle_endtag(self, tag):
        if tag == "option" and self._select is not None and self._option:
            value, selected = self._option
            value = self._text.strip() if value is None else value
            self._select[2].append(value)
            if selected:
                self._select[1].append(value)
            self._option = None
        elif tag == "select" and self._select is not None:
            name, chosen, values = self._select
            self.options[name] = values
            for value in chosen or values[:1]:
                self._add(name, value)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._add(self._textarea, self._text.strip("\r\n"))
            self._textarea = None


def post_forms(html: str) -> tuple[list, dict[str, list[str]]]:
    """(action, [(name, value), ...]) of every POST form on the page, and the
    values each select offers."""
    parser = PageForms()
    parser.feed(html)
    return parser.forms, parser.options
