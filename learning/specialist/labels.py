"""The words for the areas, their addresses, and items' kinds and states."""

from flask_babel import lazy_gettext as _l

from core.people.models import SpecialistArea
from learning.specialist.models import ItemKind, ItemStatus

AREA_LABELS = {
    SpecialistArea.gender_equality: _l("Gender equality"),
    SpecialistArea.ethnic_minorities: _l("Ethnic minorities"),
    SpecialistArea.disability: _l("Disability"),
    SpecialistArea.eures: _l("EURES"),
}
# What each area covers (seeds 000 and 001), shown at the top of its page.
AREA_COVERS = {
    SpecialistArea.gender_equality: _l(
        "Gender equality in the employment effort: gendered challenges on the "
        "labour market, and equality made part of every conversation and offer."
    ),
    SpecialistArea.ethnic_minorities: _l(
        "The employment effort for citizens with an ethnic minority background: "
        "culture and workplace culture, Danish tuition, qualifications brought "
        "from abroad and the contact with companies."
    ),
    SpecialistArea.disability: _l(
        "Disability and employment: compensating schemes, the specialised "
        "rehabilitation effort and where to find help."
    ),
    SpecialistArea.eures: _l(
        "International job placement: the EURES network, jobs and recruitment "
        "across borders in Europe."
    ),
}
# The Danish address of each area's pages (/specialomraader/<slug>).
SLUGS = {
    SpecialistArea.gender_equality: "ligestilling",
    SpecialistArea.ethnic_minorities: "etniske-minoriteter",
    SpecialistArea.disability: "handicap",
    SpecialistArea.eures: "eures",
}
AREA_BY_SLUG = {slug: area for area, slug in SLUGS.items()}
SLUG_PATTERN = "any(" + ", ".join(f"'{slug}'" for slug in SLUGS.values()) + ")"

KIND_LABELS = {
    ItemKind.news: _l("News"),
    ItemKind.guidance: _l("Guidance note"),
    ItemKind.link: _l("Link"),
    ItemKind.document: _l("Document"),
}
STATUS_LABELS = {
    ItemStatus.draft: _l("Draft"),
    ItemStatus.published: _l("Published"),
    ItemStatus.archived: _l("Archived"),
}
