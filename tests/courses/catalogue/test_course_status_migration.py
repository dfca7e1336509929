"""The course status migration: every course that existed before drafts stays in
the catalogue (published), and new rows get no database default."""

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from core.db import db
from tests.databases import postgres_url
from wsgi import create_app

BEFORE = "5a3c81e2f0b7"


def test_existing_courses_become_published(tmp_path):
    url = postgres_url("course_status", fresh=True) or (
        f"sqlite:///{tmp_path / 'course_status.sqlite3'}"
    )
    app = create_app({"TESTING": True, "DATABASE_URL": url})
    with app.app_context():
        try:
            upgrade(revision=BEFORE)
            with db.engine.begin() as conn:
                conn.execute(
                    sa.text(
                        "INSERT INTO providers (key, name, kind, url, description,"
                        " demo, feed_url, default_capacity, updated_at) VALUES"
                        " ('p', 'Udbyder', 'cok', '', '', false, '', 20,"
                        " CURRENT_TIMESTAMP)"
                    )
                )
                conn.execute(
                    sa.text(
                        "INSERT INTO courses (provider_id, title, description,"
                        " format, audience, price_state, price_municipal, demo,"
                        " search_text, created_at, updated_at) VALUES"
                        " (1, 'Gammelt kursus', '', 'online', 'both', 0, 0, false,"
                        " '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                    )
                )
            upgrade()
            with db.engine.connect() as conn:
                assert conn.scalar(sa.text("SELECT status FROM courses")) == (
                    "published"
                )
            columns = {
                c["name"]: c for c in sa.inspect(db.engine).get_columns("courses")
            }
            assert columns["status"]["default"] is None
            downgrade(revision=BEFORE)
            columns = sa.inspect(db.engine).get_columns("courses")
            assert "status" not in {c["name"] for c in columns}
        finally:
            db.session.remove()
            db.engine.dispose()
