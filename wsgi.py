"""The composition root: builds the app from core, courses and learning.

`flask` finds create_app here; gunicorn runs 'wsgi:create_app()'.
"""

from pathlib import Path

from flask import Flask

import core.bootstrap
import courses
import learning

ROOT = Path(__file__).resolve().parent


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        root_path=str(ROOT),
        instance_path=str(ROOT / "instance"),
        template_folder="templates",
        static_folder="static",
    )
    core.bootstrap.init_app(app, test_config)
    courses.init_app(app)
    learning.init_app(app)
    return app
