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
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}


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


@pytest.mark.parametrize("name", ["ical.py", "ical_lines.py", "ical_parse.py"])
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
