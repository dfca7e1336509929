"""The schema comes from the migrations, and they agree with the models."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from core.db import db, render_migration_item
from tests.databases import postgres_url
from wsgi import create_app


def fresh_database_url(tmp_path) -> str:
    return postgres_url("migrations", fresh=True) or (
        f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
    )


@pytest.fixture
def migrated_app(tmp_path):
    app = create_app({"TESTING": True, "DATABASE_URL": fresh_database_url(tmp_path)})
    with app.app_context():
        upgrade()
        yield app
        db.session.remove()
        db.engine.dispose()


def test_upgrade_on_an_empty_database_matches_the_models(migrated_app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={"compare_type": True, "render_item": render_migration_item},
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_downgrade_to_base_and_upgrade_again(migrated_app):
    downgrade(revision="base")
    assert sa.inspect(db.engine).get_table_names() == ["alembic_version"]
    upgrade()
    assert "users" in sa.inspect(db.engine).get_table_names()
