"""Demo knowledge items, a handful per area, written for the demo and marked as
demo data (the sources give no such texts): by the staff of the Hovedstaden og
Sjælland functions and by the København key person for ethnic minorities.
Idempotent: an item whose title is there already is left alone."""

import hashlib

import sqlalchemy as sa

from core.db import db
from core.people.demo import load_demo_data
from core.people.models import SpecialistArea, User
from learning.competences.models import Competence
from learning.specialist import services
from learning.specialist.models import ItemKind, KnowledgeItem

A = SpecialistArea
K = ItemKind
CHECKLIST = (
    "Punkt;Hvad du gør\r\n"
    "1;Spørg til uddannelse og erhvervserfaring fra hjemlandet\r\n"
    "2;Henvis til vurdering af udenlandske uddannelser\r\n"
    "3;Aftal danskundervisning ved siden af jobsøgningen\r\n"
).encode()
# (author's key in organisation.json, area, kind, title, summary, body or url,
# competence codes, published)
ITEMS = (
    (
        "ali-hassan",
        A.ethnic_minorities,
        K.news,
        "Nyt fra specialfunktionen: temadag om medbragte kompetencer",
        "Demo: specialfunktionen samler jobcentrenes erfaringer med at afklare "
        "kompetencer, som borgere har med fra udlandet.",
        "Demo-tekst. Specialfunktionen inviterer nøglepersonerne til en temadag "
        "om afklaring og godkendelse af medbragte kompetencer.",
        ("ETN-V-07", "ETN-V-08"),
        True,
    ),
    (
        "keyperson",
        A.ethnic_minorities,
        K.guidance,
        "Vejledning: den første samtale med en borger med anden etnisk baggrund",
        "Demo: fem råd til den første samtale, samlet af nøglepersonen i "
        "Jobcenter København.",
        "Demo-tekst.\n\nBrug tolk, når der er brug for det, og tal direkte til "
        "borgeren.\n\nSpørg til uddannelse og arbejde fra hjemlandet, og aftal "
        "næste skridt skriftligt.",
        ("ETN-H-01", "ETN-V-04"),
        True,
    ),
    (
        "ali-hassan",
        A.ethnic_minorities,
        K.document,
        "Tjekliste: medbragte kompetencer",
        "Demo: en tjekliste til samtalen om uddannelse og erfaring fra udlandet.",
        "tjekliste-medbragte-kompetencer.csv",
        ("ETN-V-07",),
        True,
    ),
    (
        "dorthe-skov",
        A.gender_equality,
        K.guidance,
        "Vejledning: ligestilling i samtalen",
        "Demo: sådan tænker du køn ind i samtalen om job og uddannelse.",
        "Demo-tekst. Spørg til ønsker og muligheder uden at tage et fag eller "
        "en branche for givet ud fra borgerens køn.",
        ("LIGE-V-01",),
        True,
    ),
    (
        "ole-hansen",
        A.disability,
        K.news,
        "Nyt om kompenserende ordninger",
        "Demo: specialfunktionen samler de ordninger, der hjælper borgere med "
        "handicap i job.",
        "Demo-tekst. Personlig assistance, hjælpemidler og fortrinsadgang: se "
        "specialfunktionens oversigt og spørg jobcentrets nøgleperson.",
        ("HAND-V-01",),
        True,
    ),
    (
        "michael-berg",
        A.eures,
        K.link,
        "EURES-portalen: job i Europa",
        "Demo: Europa-Kommissionens portal for job og rekruttering på tværs af "
        "grænser.",
        "https://eures.europa.eu/",
        ("EURES-V-01",),
        True,
    ),
    (
        "michael-berg",
        A.eures,
        K.guidance,
        "Udkast: rekruttering fra andre EU-lande",
        "Demo: et udkast, som kun forfatteren og specialfunktionen ser.",
        "Demo-tekst, endnu ikke udgivet.",
        ("EURES-V-01",),
        False,
    ),
)


def seed_knowledge() -> None:
    """Create the demo items that are not there yet."""
    emails = {p["key"]: p["email"].lower() for p in load_demo_data()["people"]}
    people = {
        u.email: u
        for u in db.session.scalars(
            sa.select(User).where(User.email.in_(list(emails.values())))
        )
    }
    codes = {
        c.code: c.id
        for c in db.session.scalars(sa.select(Competence).where(Competence.code != ""))
    }
    existing = set(
        db.session.scalars(
            sa.select(KnowledgeItem.title).where(KnowledgeItem.demo.is_(True))
        )
    )
    for author_key, area, kind, title, summary, text, tags, publish in ITEMS:
        author = people.get(emails.get(author_key, ""))
        if title in existing or author is None or not all(c in codes for c in tags):
            continue
        fields = {"title": title, "summary": summary}
        upload = None
        if kind is K.link:
            fields["url"] = text
        elif kind is K.document:
            key = hashlib.sha256(CHECKLIST).hexdigest()[:48]
            upload = services.Upload(text, CHECKLIST, key=key)
        else:
            fields["body"] = text
        item = services.create_item(
            author,
            area,
            kind,
            upload=upload,
            demo=True,
            competence_ids=[codes[c] for c in tags],
            **fields,
        )
        if publish:
            services.change_status(author, item, "publish")
    db.session.flush()
