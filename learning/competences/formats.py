"""Framework files: CSV and CASE-style JSON, read into plain data and written back.

Pure: no database and no Flask, so every error can name the row and the column.
"""

import json
from dataclasses import dataclass, field

from core.tables import FileFormatError, Problem, Row, csv_table, read_table
from learning.competences.models import PRIORITIES, CompetenceKind, Layer

__all__ = [
    "FileFormatError",
    "FrameworkData",
    "Problem",
    "read_case_json",
    "read_csv",
    "read_sheet",
]

CSV_COLUMNS = (
    "type",
    "code",
    "title",
    "title_en",
    "description",
    "kind",
    "layer",
    "area",
    "source",
    "profile",
    "target",
    "priority",
    "basic",
)
ROW_TYPES = ("level", "area", "competence", "profile", "requirement")
KIND_WORDS = {
    "knowledge": CompetenceKind.knowledge,
    "viden": CompetenceKind.knowledge,
    "action": CompetenceKind.action,
    "handling": CompetenceKind.action,
    "attitude": CompetenceKind.attitude,
    "holdning": CompetenceKind.attitude,
}
LAYER_WORDS = {
    "basic": Layer.basic,
    "grundlæggende": Layer.basic,
    "specific": Layer.specific,
    "specifik": Layer.specific,
}
TRUE_WORDS = {"1", "true", "yes", "ja", "x"}
FALSE_WORDS = {"", "0", "false", "no", "nej"}
CASE_TYPES = {
    "Level": "level",
    "Area": "area",
    "Competence": "competence",
    "Profile": "profile",
}


@dataclass
class FrameworkData:
    levels: list[dict] = field(default_factory=list)
    areas: list[dict] = field(default_factory=list)
    competences: list[dict] = field(default_factory=list)
    profiles: list[dict] = field(default_factory=list)
    requirements: list[dict] = field(default_factory=list)


class _Reader:
    """Collects rows into FrameworkData, noting each problem with its place."""

    def __init__(self, *, area_from_associations: bool = False) -> None:
        # CASE files give a competence's area as an association, read afterwards.
        self.area_later = area_from_associations
        self.data = FrameworkData()
        self.problems: list[Problem] = []

    def fail(self, row: int, column: str, code: str, value: object = "") -> None:
        self.problems.append(Problem(row, column, code, str(value)[:80]))

    def text(
        self, row: int, values: dict, column: str, *, required=False, limit=300
    ) -> str:
        value = str(values.get(column) or "").strip()
        if required and not value:
            self.fail(row, column, "missing")
        elif len(value) > limit:
            self.fail(row, column, "too_long", value)
        return value

    def described(
        self, row: int, values: dict, key: str, *, key_limit: int, title_limit: int
    ) -> dict:
        """The row number, the code (as `key`), the titles and the description of an
        area, competence or profile row."""
        return {
            "row": row,
            key: self.text(row, values, "code", required=True, limit=key_limit),
            "title": self.text(row, values, "title", required=True, limit=title_limit),
            "title_en": self.text(row, values, "title_en", limit=title_limit),
            "description": self.text(row, values, "description", limit=4000),
        }

    def integer(self, row: int, values: dict, column: str, low: int, high: int) -> int:
        raw = str(values.get(column, "")).strip()
        try:
            number = int(raw)
        except ValueError:
            self.fail(row, column, "not_a_number" if raw else "missing", raw)
            return low
        if not low <= number <= high:
            self.fail(row, column, "out_of_range", raw)
        return number

    def word(self, row: int, values: dict, column: str, words: dict):
        raw = str(values.get(column) or "").strip().lower()
        if raw not in words:
            self.fail(row, column, "unknown_value" if raw else "missing", raw)
            return None
        return words[raw]

    def flag(self, row: int, values: dict, column: str) -> bool:
        raw = values.get(column)
        if isinstance(raw, bool):
            return raw
        raw = str(raw or "").strip().lower()
        if raw not in TRUE_WORDS | FALSE_WORDS:
            self.fail(row, column, "unknown_value", raw)
        return raw in TRUE_WORDS

    def add(self, row: int, kind: str, values: dict) -> None:
        getattr(self, f"_{kind}")(row, values)

    def _level(self, row, v):
        self.data.levels.append(
            {
                "row": row,
                "value": self.integer(row, v, "code", 0, 20),
                "label": self.text(row, v, "title", required=True, limit=80),
                "description": self.text(row, v, "description", limit=2000),
            }
        )

    def _area(self, row, v):
        self.data.areas.append(
            self.described(row, v, "code", key_limit=40, title_limit=200)
        )

    def _competence(self, row, v):
        self.data.competences.append(
            self.described(row, v, "code", key_limit=40, title_limit=300)
            | {
                "kind": self.word(row, v, "kind", KIND_WORDS),
                "layer": self.word(row, v, "layer", LAYER_WORDS),
                "area": self.text(
                    row, v, "area", required=not self.area_later, limit=40
                ),
                "source": self.text(row, v, "source"),
            }
        )

    def _profile(self, row, v):
        self.data.profiles.append(
            self.described(row, v, "key", key_limit=60, title_limit=200)
            | {
                "basic": self.flag(row, v, "basic"),
            }
        )

    def _requirement(self, row, v):
        self.data.requirements.append(
            {
                "row": row,
                "profile": self.text(row, v, "profile", required=True, limit=60),
                "competence": self.text(row, v, "code", required=True, limit=40),
                "target": self.integer(row, v, "target", 0, 20),
                "priority": self.integer(
                    row, v, "priority", min(PRIORITIES), max(PRIORITIES)
                ),
            }
        )

    def result(self) -> FrameworkData:
        _check_duplicates(self)
        if self.problems:
            raise FileFormatError(self.problems)
        return self.data


def _check_duplicates(reader: _Reader) -> None:
    d = reader.data
    for items, key, column in (
        (d.levels, "value", "code"),
        (d.areas, "code", "code"),
        (d.competences, "code", "code"),
        (d.profiles, "key", "code"),
    ):
        seen = set()
        for item in items:
            if item[key] in seen and item[key] != "":
                reader.fail(item["row"], column, "duplicate", item[key])
            seen.add(item[key])
    pairs = set()
    for req in d.requirements:
        pair = (req["profile"], req["competence"])
        if pair in pairs:
            reader.fail(req["row"], "code", "duplicate", req["competence"])
        pairs.add(pair)


REQUIRED_COLUMNS = ("type", "code", "title")


def read_csv(text: str) -> FrameworkData:
    """Rows typed level/area/competence/profile/requirement; row 1 is the header."""
    return _read_rows(*csv_table(text, required=REQUIRED_COLUMNS))


def read_sheet(raw: bytes, fmt: str) -> FrameworkData:
    """The rows read_csv reads, from an uploaded CSV file (UTF-8 or Windows-1252,
    commas or semicolons) or an Excel workbook (fmt 'xlsx')."""
    return _read_rows(*read_table(raw, fmt, required=REQUIRED_COLUMNS))


def _read_rows(rows: list[Row], problems: list[Problem]) -> FrameworkData:
    reader = _Reader()
    reader.problems = problems
    for number, values in rows:
        kind = (values.get("type") or "").strip().lower()
        if kind not in ROW_TYPES:
            reader.fail(number, "type", "unknown_value" if kind else "missing", kind)
            continue
        reader.add(number, kind, values)
    return reader.result()


def read_case_json(text: str) -> FrameworkData:
    """CASE-style JSON: CFItems typed Level/Area/Competence/Profile, and
    CFAssociations: competence isChildOf area, competence isRequiredBy profile."""
    reader = _Reader(area_from_associations=True)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileFormatError(
            [Problem(exc.lineno, f"column {exc.colno}", "bad_json")]
        ) from exc
    if not isinstance(document, dict) or not isinstance(document.get("CFItems"), list):
        raise FileFormatError([Problem(1, "CFItems", "missing")])
    by_id: dict[str, tuple[str, dict]] = {}
    for number, item in enumerate(document["CFItems"], start=1):
        if not isinstance(item, dict):
            reader.fail(number, "CFItems", "not_an_object")
            continue
        kind = CASE_TYPES.get(str(item.get("CFItemType", "")))
        if kind is None:
            reader.fail(
                number, "CFItemType", "unknown_value", item.get("CFItemType", "")
            )
            continue
        values = _case_values(item)
        by_id[str(item.get("identifier") or values["code"])] = (kind, values)
        reader.add(number, kind, values)
    _case_associations(reader, document.get("CFAssociations", []), by_id)
    return reader.result()


def _case_values(item: dict) -> dict:
    ext = item.get("extensions") if isinstance(item.get("extensions"), dict) else {}
    return {
        "code": item.get("humanCodingScheme", ""),
        "title": item.get("fullStatement", ""),
        "title_en": ext.get("title_en", ""),
        "description": item.get("notes", ""),
        "kind": ext.get("kind", ""),
        "layer": ext.get("layer", ""),
        "source": ext.get("source", ""),
        "basic": ext.get("basic", False),
        "area": "",
    }


def _case_associations(reader: _Reader, associations, by_id) -> None:
    competences = {c["code"]: c for c in reader.data.competences}
    for number, assoc in enumerate(
        associations if isinstance(associations, list) else [], start=1
    ):
        kind = assoc.get("associationType") if isinstance(assoc, dict) else None
        origin = by_id.get(str(_node(assoc, "originNodeURI")))
        target = by_id.get(str(_node(assoc, "destinationNodeURI")))
        if origin is None or target is None:
            reader.fail(
                number,
                "originNodeURI" if origin is None else "destinationNodeURI",
                "unknown_reference",
                _node(
                    assoc, "originNodeURI" if origin is None else "destinationNodeURI"
                ),
            )
            continue
        if kind == "isChildOf" and origin[0] == "competence" and target[0] == "area":
            competences[origin[1]["code"]]["area"] = target[1]["code"]
        elif (
            kind == "isRequiredBy"
            and origin[0] == "competence"
            and target[0] == "profile"
        ):
            ext = assoc.get("extensions") or {}
            reader._requirement(
                number,
                {
                    "profile": target[1]["code"],
                    "code": origin[1]["code"],
                    "target": ext.get("target", ""),
                    "priority": ext.get("priority", ""),
                },
            )
        else:
            reader.fail(number, "associationType", "unknown_value", kind or "")
    for competence in reader.data.competences:
        if not competence["area"]:
            reader.fail(competence["row"], "isChildOf", "missing", competence["code"])


def _node(assoc, key: str):
    node = assoc.get(key) if isinstance(assoc, dict) else None
    return node.get("identifier") if isinstance(node, dict) else node
