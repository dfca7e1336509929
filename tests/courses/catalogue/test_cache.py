"""The listing cache: bounded, time-limited, and rendering only on a miss."""

from courses.catalogue.cache import ListingCache


def test_cache_renders_once_per_key_and_stays_bounded():
    cache = ListingCache(size=2, lifetime=60)
    calls = []

    def render(text):
        def make():
            calls.append(text)
            return text

        return make

    assert cache.get_or_render("a", render("A")) == "A"
    assert cache.get_or_render("a", render("changed")) == "A"
    cache.get_or_render("b", render("B"))
    cache.get_or_render("c", render("C"))  # pushes out the oldest, "a"
    assert cache.get_or_render("a", render("A2")) == "A2"
    assert calls == ["A", "B", "C", "A2"]


def test_expired_entries_are_rendered_again():
    cache = ListingCache(size=10, lifetime=0)
    assert cache.get_or_render("a", lambda: "first") == "first"
    assert cache.get_or_render("a", lambda: "second") == "second"
