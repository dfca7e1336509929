"""Danish labels for the framework's enums, shared by forms, pages and exports."""

from flask_babel import lazy_gettext as _l

from core.templating import (
    kept_label,
    localised,  # noqa: F401 (pages and charts import it here)
)
from learning.competences.models import CompetenceKind, Layer

KIND_LABELS = {
    CompetenceKind.knowledge: _l("Knowledge"),
    CompetenceKind.action: _l("Action"),
    CompetenceKind.attitude: _l("Attitude"),
}
LAYER_LABELS = {Layer.basic: _l("Basic"), Layer.specific: _l("Specific")}
PRIORITY_LABELS = {1: _l("Low"), 2: _l("Medium"), 3: _l("High")}


def kind_label(kind: CompetenceKind) -> str:
    return kept_label(KIND_LABELS, kind)


def layer_label(layer: Layer) -> str:
    return kept_label(LAYER_LABELS, layer)


def priority_label(priority: int) -> str:
    return str(PRIORITY_LABELS.get(priority, priority))
