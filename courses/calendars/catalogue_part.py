"""The calendars' share of a course's page: the provider's public feed."""

from flask import Flask, url_for

from courses.catalogue.contributions import add_course_page_part


def _course_page(user, course, _so_far: dict) -> dict:
    feed_url = url_for(
        "courses.calendars.provider_feed",
        provider_id=course.provider_id,
        _external=True,
    )
    return {"feed_url": feed_url}


def register(app: Flask) -> None:
    add_course_page_part(app, _course_page)
