"""Demo data for the framework, people's job functions and three rounds of ratings."""

import random
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from core import clock
from core.clock import COPENHAGEN
from core.db import db
from core.people.demo import load_demo_data
from core.people.models import User
from courses.sessions.timing import next_working_day
from learning.assessments import services
from learning.assessments.models import AssessmentRound, RatingSource
from learning.competences import services as framework
from learning.competences.demo import load_demo_framework, seed_framework
from learning.competences.models import Profile, UserProfile

SEED = 20260303
# The rounds' self ratings, in days before the day the demo is loaded: about
# eleven, six and one and a half months back, so every rating (managers' a week
# later, agreed levels two weeks later) lies in the past year.
ROUND_DAYS_AGO = (330, 180, 45)
# How far above (or below) the target a kind of person tends to be at the end.
PERSONAS = {
    "on_target": (0, 0, 1),
    "mixed": (0, -1, -1, -2),
    "newcomer": (-1, -2, -2, -3),
}


def seed_demo() -> None:
    """Framework, job functions and ratings; a second run changes nothing."""
    data = load_demo_framework()
    if data is None:
        return
    profiles = seed_framework(data)
    people = _demo_people()
    _link_job_functions(people, profiles)
    if not db.session.scalar(sa.select(sa.func.count(AssessmentRound.id))):
        seed_ratings([user for user, _functions in people])
    db.session.flush()


def _demo_people() -> list[tuple[User, list[str]]]:
    try:
        entries = load_demo_data()["people"]
    except FileNotFoundError:
        return []
    by_email = {
        u.email: u
        for u in db.session.scalars(
            sa.select(User).where(User.email.in_([p["email"].lower() for p in entries]))
        )
    }
    return [
        (by_email[p["email"].lower()], p.get("job_functions", []))
        for p in entries
        if p["email"].lower() in by_email
    ]


def _link_job_functions(
    people: list[tuple[User, list[str]]], profiles: dict[str, Profile]
) -> None:
    linked = set(db.session.scalars(sa.select(UserProfile.user_id)))
    for user, keys in people:
        wanted = [profiles[k] for k in keys if k in profiles]
        if wanted and user.id not in linked:
            framework.set_user_profiles(None, user, wanted)


def round_days(today: date) -> list[datetime]:
    """08:30 on a working Tuesday (or the next working day) for each round."""
    days = []
    for ago in ROUND_DAYS_AGO:
        day = today - timedelta(days=ago)
        day = next_working_day(day + timedelta(days=(1 - day.weekday()) % 7))
        days.append(datetime.combine(day, time(8, 30), tzinfo=COPENHAGEN))
    return days


def seed_ratings(
    users: list[User], *, seed: int = SEED, today: date | None = None
) -> None:
    """A realistic, repeatable spread: most rate themselves, many managers rate,
    some levels are agreed; some people meet their targets, some do not. The
    rounds lie in the year before `today` (default: today in Copenhagen)."""
    rng = random.Random(seed)
    rounds = round_days(today or clock.today())
    top = framework.get_scale().top
    people = [u for u in users if u.team is not None]
    targets = _targets_by_person([u.id for u in people])
    for user in sorted(people, key=lambda u: u.id):
        wanted = targets.get(user.id)
        if not wanted:
            continue
        persona = rng.choice(["on_target", "mixed", "mixed", "newcomer"])
        final = {
            cid: max(0, min(top, target + rng.choice(PERSONAS[persona])))
            for cid, target in wanted.items()
        }
        # Nobody is done growing: even a person on target has one competence a
        # level short (and sees it so), so every demo employee gets suggestions.
        short = None
        if all(final[cid] >= target for cid, target in wanted.items()):
            short = rng.choice(sorted(c for c, t in wanted.items() if t > 0))
            final[short] = wanted[short] - 1
        on_target = persona == "on_target"
        rates_self = rng.random() < 0.85
        manager = user.team.manager if user.team.manager_id != user.id else None
        rated_by_manager = manager is not None and (on_target or rng.random() < 0.65)
        # People on target settled it in the talk, so their current level is agreed.
        agreed = rated_by_manager and (on_target or rng.random() < 0.35)
        for number, day in enumerate(rounds):
            behind = len(rounds) - 1 - number
            levels = {
                cid: max(0, level - rng.choice((0, behind)))
                for cid, level in final.items()
            }
            if rates_self or number == len(rounds) - 1:
                own = {
                    cid: lv
                    if cid == short
                    else _self_view(rng, lv, top, modest=on_target and not agreed)
                    for cid, lv in levels.items()
                }
                _round(user, user, RatingSource.self, own, day)
            if rated_by_manager and number >= 1:
                _round(manager, user, RatingSource.manager, levels, day + timedelta(7))
            if agreed and number == len(rounds) - 1:
                _round(manager, user, RatingSource.agreed, levels, day + timedelta(14))


def _self_view(rng: random.Random, level: int, top: int, *, modest=False) -> int:
    """People mostly see themselves as their manager does; a few are far off."""
    shift = rng.choices((-2, -1, 0, 1, 2), weights=(3, 12, 66, 15, 4))[0]
    if modest:
        shift = abs(shift)  # no one to correct them, and they are on target
    return max(0, min(top, level + shift))


def _round(actor, person, source, levels: dict[int, int], day: datetime) -> None:
    entries = {cid: (level, "") for cid, level in levels.items()}
    services.save_round(actor, person, source, entries, at=day)


def _targets_by_person(person_ids: list[int]) -> dict[int, dict[int, int]]:
    gaps = services.gaps_for(person_ids)
    return {
        pid: {item.competence_id: item.target for item in result.items}
        for pid, result in gaps.items()
    }
