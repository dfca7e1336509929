"""What a course raises: the open gaps its links cover (each level once, up to
the target), the courses that can close somebody's gap, and the gaps left once
booked courses have raised them."""

from collections.abc import Iterable, Mapping

from learning.matching.values import Covered, Gap, ModuleFit


def coverage(gaps: Iterable[Gap], links: Iterable[tuple[int, int]]) -> list[Covered]:
    """The open gaps the links raise, each level at most once, up to the target."""
    return cover({g.competence_id: g for g in gaps if g.size}, links)


def cover(open_gaps: Mapping[int, Gap], links: Iterable[tuple[int, int]]) -> list:
    reached: dict[int, int] = {}
    for competence_id, level in links:
        gap = open_gaps.get(competence_id)
        if gap is not None and level > gap.current:
            reached[competence_id] = max(level, reached.get(competence_id, level))
    result = []
    for competence_id, level in reached.items():
        gap = open_gaps[competence_id]
        top = min(level, gap.target)
        result.append(
            Covered(competence_id, gap.current, top, gap.target, gap.priority)
        )
    return sorted(result, key=lambda c: (-c.weighted, c.competence_id))


def suggestable_courses(
    gaps: Iterable[Iterable[Gap]],
    links: Mapping[int, Iterable[tuple[int, int]]],
    modules: Mapping[int, Mapping[int, ModuleFit]],
) -> set[int]:
    """The courses suggest() can offer somebody: a link that closes one of their
    open gaps, or a module of their programme. A superset of what suggest()
    finds (it also weighs booked courses, audience, prerequisites and clashes),
    so the sessions of the other courses need not be read."""
    reach: dict[int, list[Gap]] = {}
    for person_gaps in gaps:
        for gap in person_gaps:
            if gap.size:
                reach.setdefault(gap.competence_id, []).append(gap)
    found = {course_id for fits in modules.values() for course_id in fits}
    for course_id, course_links in links.items():
        if course_id in found:
            continue
        for competence_id, level in course_links:
            # cover and closes: above the current level and at the target.
            if any(
                level > g.current and level >= g.target
                for g in reach.get(competence_id, ())
            ):
                found.add(course_id)
                break
    return found


def after_courses(gaps: Iterable[Gap], links: Iterable[tuple[int, int]]) -> list[Gap]:
    """The gaps left once courses already booked or done have raised them: a level
    those courses cover is not counted again for another session."""
    raised = {c.competence_id: c.reached for c in coverage(gaps, links)}
    return [
        Gap(
            g.competence_id,
            max(g.current, raised.get(g.competence_id, g.current)),
            g.target,
            g.priority,
            g.area_id,
            g.kind,
        )
        for g in gaps
    ]
