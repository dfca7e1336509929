"""The supply side: providers, courses, diplomas, sessions, bookings and calendars.

Imports only core. Each area package exposes init_app(app), called here.
"""

from flask import Flask

from courses import bookings, calendars, catalogue, diplomas, personal_data, sessions


def init_app(app: Flask) -> None:
    catalogue.init_app(app)
    sessions.init_app(app)
    diplomas.init_app(app)
    calendars.init_app(app)
    bookings.init_app(app)
    personal_data.init_app(app)
