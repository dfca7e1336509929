"""The layers stay apart (learning -> courses -> core) and services stay pure."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "courses", "learning")
FORBIDDEN = {
    "core": ("courses", "learning"),
    "courses": ("learning",),
    "learning": (),
}


def python_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def names_used(path: Path) -> set[str]:
    """Names read and never bound in the module (a local `request = Request(...)`
    of urllib is not Flask's)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = [node for node in ast.walk(tree) if isinstance(node, ast.Name)]
    bound = {n.id for n in names if not isinstance(n.ctx, ast.Load)}
    bound |= {a.arg for a in ast.walk(tree) if isinstance(a, ast.arg)}
    return {n.id for n in names if isinstance(n.ctx, ast.Load)} - bound


@pytest.mark.parametrize("package", PACKAGES)
def test_packages_import_only_downwards(package):
    offences = []
    for path in python_files(package):
        for module in imported_modules(path):
            top = module.split(".")[0]
            if top in FORBIDDEN[package]:
                offences.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offences == []


def service_files() -> list[Path]:
    return [p for pkg in PACKAGES for p in python_files(pkg) if p.name == "services.py"]


def test_there_are_services_to_check():
    assert service_files()


@pytest.mark.parametrize(
    "path", service_files(), ids=lambda p: str(p.relative_to(ROOT))
)
def test_services_do_not_reach_for_the_request_or_the_web_layer(path):
    modules = imported_modules(path)
    offences = [
        m
        for m in modules
        if m.split(".")[-1] in ("views", "forms") or ".views" in m or ".forms" in m
    ]
    offences += [
        m
        for m in modules
        if m
        in ("flask.request", "flask_login.current_user", "flask.session", "flask.g")
    ]
    offences += sorted(names_used(path) & {"current_user", "request"})
    assert offences == []


@pytest.mark.parametrize(
    "name", ["ical.py", "ical_lines.py", "ical_parse.py", "ical_series.py"]
)
def test_the_pure_calendar_modules_need_neither_flask_nor_the_database(name):
    path = ROOT / "courses" / "calendars" / name
    tops = {m.split(".")[0] for m in imported_modules(path)}
    assert tops.isdisjoint(
        {"flask", "flask_babel", "sqlalchemy", "flask_sqlalchemy", "core"}
    )


def test_only_the_composition_root_imports_every_package():
    path = ROOT / "wsgi.py"
    tops = {m.split(".")[0] for m in imported_modules(path)}
    assert {"core", "courses", "learning"} <= tops


# --- inside courses/ and learning/: an order of areas ------------------------------

# Each area may import only the areas to its left (and core, and its package's
# shared modules below). Where a lower area needs a higher one, the page is the
# higher one's, or the higher area adds a contribution (core.registry, an area's
# add_* hook) or subscribes to a signal.
AREA_ORDER = {
    "courses": ("catalogue", "sessions", "diplomas", "bookings", "calendars"),
    "learning": (
        "competences",
        "assessments",
        "matching",
        "internal",
        "plans",
        "specialist",
        "reports",
    ),
}
# Modules of a package that every area may import (they import no area), and the
# modules that wire the areas together (they may import every area).
SHARED = {"courses": ("signals",), "learning": ("tables",)}
# learning/scale.py (flask seed-scale) fills every area's tables at once.
# learning/personal_data.py wires too: `flask learning purge` applies the
# retention of two areas' tables (ratings, evidence) in one command.
ROOTS = {
    "courses": ("__init__", "cli"),
    "learning": ("__init__", "personal_data", "scale"),
}


def area_of(package: str, path: Path) -> str | None:
    parts = path.relative_to(ROOT / package).parts
    return parts[0] if len(parts) > 1 else None


@pytest.mark.parametrize("package", sorted(AREA_ORDER))
def test_every_area_has_a_place_in_the_order(package):
    areas = {p.name for p in (ROOT / package).iterdir() if (p / "__init__.py").exists()}
    assert areas == set(AREA_ORDER[package])


@pytest.mark.parametrize("package", sorted(AREA_ORDER))
def test_areas_import_only_areas_to_their_left(package):
    order = AREA_ORDER[package]
    offences = []
    for path in python_files(package):
        area = area_of(package, path)
        if area is None:
            if path.stem in ROOTS[package]:
                continue
            allowed: tuple[str, ...] = ()  # a shared module imports no area
        else:
            allowed = order[: order.index(area) + 1]
        for module in imported_modules(path):
            parts = module.split(".")
            if parts[0] != package or len(parts) < 2 or parts[1] in SHARED[package]:
                continue
            if parts[1] in order and parts[1] not in allowed:
                offences.append(f"{path.relative_to(ROOT)} imports {module}")
    assert sorted(set(offences)) == []


@pytest.mark.parametrize("package", PACKAGES)
def test_no_table_is_read_by_name(package):
    """`db.metadata.tables["bookings"]` dodges the import rule; import the model
    from an area you may import, or let the higher area contribute."""
    offences = []
    for path in python_files(package):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "tables"
                and isinstance(node.value, ast.Attribute)
                and node.value.attr == "metadata"
            ):
                offences.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offences == []


# --- below the views: no request, no current_user ------------------------------------

# The web layer: modules that exist to answer a request, so they may read it.
# Everything else (services, models, rules, handlers, helpers) runs the same from
# a view, the CLI and a test, and gets the acting user and the input as arguments.
WEB_LAYER = {
    "views.py": "a blueprint's pages",
    "*_views.py": "a blueprint's pages, named for what they show",
    "forms.py": "WTForms forms read the posted data of the request",
    "cli.py": "click commands: the command line's equivalent of a view",
    "api.py": "an area's JSON endpoints under /api/v1: views that answer in JSON",
    "__init__.py": "an area's init_app registers blueprints and request hooks",
    "core/bootstrap.py": "wires the app: login loader, before/after-request hooks",
    "core/templating.py": "template helpers such as url_with read the request's URL",
    "core/form_tokens.py": "a request hook: puts the session's kept CSRF token "
    "where Flask-WTF looks for it before the view runs",
    "core/permissions.py": "require() and role_required() guard views with "
    "current_user",
}


def is_web_layer(path: Path) -> bool:
    relative = path.relative_to(ROOT).as_posix()
    return any(
        path.match(pattern) if "/" not in pattern else relative == pattern
        for pattern in WEB_LAYER
    )


def below_the_views() -> list[Path]:
    return [p for pkg in PACKAGES for p in python_files(pkg) if not is_web_layer(p)]


def is_web_module(module: str) -> bool:
    last = module.split(".")[-1]
    return (
        last in ("views", "forms")
        or last.endswith("_views")
        or any(
            part in ("views", "forms") or part.endswith("_views")
            for part in module.split(".")[1:-1]
        )
    )


def test_the_web_layer_list_leaves_modules_to_check():
    checked = {p.name for p in below_the_views()}
    assert {"services.py", "models.py", "lifecycle.py", "seats.py"} <= checked


@pytest.mark.parametrize(
    "path", below_the_views(), ids=lambda p: str(p.relative_to(ROOT))
)
def test_modules_below_the_views_need_no_request(path):
    modules = imported_modules(path)
    offences = sorted(m for m in modules if is_web_module(m))
    offences += sorted(
        modules & {"flask.request", "flask.session", "flask_login.current_user"}
    )
    offences += sorted(names_used(path) & {"current_user", "request"})
    assert offences == []
