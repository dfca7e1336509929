"""Write a framework as rows (for CSV and Excel, through core.tables) or as
CASE-style JSON: the formats formats.py reads."""

import json

from learning.competences.formats import CSV_COLUMNS, FrameworkData


def rows(data: FrameworkData) -> list[tuple]:
    """The framework as rows of CSV_COLUMNS, for the CSV and the Excel export."""
    records: list[dict] = []
    for lv in data.levels:
        records.append(
            {
                "type": "level",
                "code": lv["value"],
                "title": lv["label"],
                "description": lv["description"],
            }
        )
    for a in data.areas:
        records.append(
            {
                "type": "area",
                **{k: a[k] for k in ("code", "title", "title_en", "description")},
            }
        )
    for c in data.competences:
        records.append(
            {
                "type": "competence",
                "kind": c["kind"].value,
                "layer": c["layer"].value,
                **{
                    k: c[k]
                    for k in (
                        "code",
                        "title",
                        "title_en",
                        "description",
                        "area",
                        "source",
                    )
                },
            }
        )
    for p in data.profiles:
        records.append(
            {
                "type": "profile",
                "code": p["key"],
                "title": p["title"],
                "title_en": p["title_en"],
                "description": p["description"],
                "basic": "ja" if p["basic"] else "nej",
            }
        )
    for r in data.requirements:
        records.append(
            {
                "type": "requirement",
                "code": r["competence"],
                "profile": r["profile"],
                "target": r["target"],
                "priority": r["priority"],
            }
        )
    return [tuple(r.get(c, "") for c in CSV_COLUMNS) for r in records]


def write_case_json(data: FrameworkData, *, title: str) -> str:
    items, associations = [], []
    for lv in data.levels:
        items.append(
            {
                "identifier": f"level:{lv['value']}",
                "CFItemType": "Level",
                "humanCodingScheme": str(lv["value"]),
                "fullStatement": lv["label"],
                "notes": lv["description"],
            }
        )
    for a in data.areas:
        items.append(
            {
                "identifier": f"area:{a['code']}",
                "CFItemType": "Area",
                "humanCodingScheme": a["code"],
                "fullStatement": a["title"],
                "notes": a["description"],
                "extensions": {"title_en": a["title_en"]},
            }
        )
    for c in data.competences:
        items.append(
            {
                "identifier": f"competence:{c['code']}",
                "CFItemType": "Competence",
                "humanCodingScheme": c["code"],
                "fullStatement": c["title"],
                "notes": c["description"],
                "extensions": {
                    "title_en": c["title_en"],
                    "kind": c["kind"].value,
                    "layer": c["layer"].value,
                    "source": c["source"],
                },
            }
        )
        associations.append(
            _assoc("isChildOf", f"competence:{c['code']}", f"area:{c['area']}")
        )
    for p in data.profiles:
        items.append(
            {
                "identifier": f"profile:{p['key']}",
                "CFItemType": "Profile",
                "humanCodingScheme": p["key"],
                "fullStatement": p["title"],
                "notes": p["description"],
                "extensions": {"title_en": p["title_en"], "basic": p["basic"]},
            }
        )
    for r in data.requirements:
        associations.append(
            _assoc(
                "isRequiredBy",
                f"competence:{r['competence']}",
                f"profile:{r['profile']}",
                extensions={"target": r["target"], "priority": r["priority"]},
            )
        )
    document = {
        "CFDocument": {"title": title, "language": "da"},
        "CFItems": items,
        "CFAssociations": associations,
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _assoc(kind: str, origin: str, destination: str, **extra) -> dict:
    return {
        "associationType": kind,
        "originNodeURI": {"identifier": origin},
        "destinationNodeURI": {"identifier": destination},
        **extra,
    }
