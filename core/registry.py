"""Extension points that let higher packages add to core's pages without core
importing them: navigation links, dashboard panels and demo-data loaders."""

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app


@dataclass(frozen=True)
class NavItem:
    label: object  # a lazy gettext string
    endpoint: str
    allowed: Callable[[object], bool]
    order: int = 100


@dataclass(frozen=True)
class Panel:
    """A dashboard panel: `build(user)` gives the template context, or None to hide."""

    template: str
    build: Callable[[object], dict | None]
    order: int = 100


@dataclass
class Registry:
    nav: list[NavItem] = field(default_factory=list)
    panels: list[Panel] = field(default_factory=list)
    seeders: list[tuple[int, Callable[[], None]]] = field(default_factory=list)


def registry(app: Flask | None = None) -> Registry:
    app = app or current_app
    return app.extensions.setdefault("kompetence_registry", Registry())


def add_nav(app: Flask, item: NavItem) -> None:
    registry(app).nav.append(item)
    registry(app).nav.sort(key=lambda i: i.order)


def add_panel(app: Flask, panel: Panel) -> None:
    registry(app).panels.append(panel)
    registry(app).panels.sort(key=lambda p: p.order)


def add_seeder(app: Flask, order: int, seeder: Callable[[], None]) -> None:
    """Register a demo-data loader; loaders run in `order` and must be idempotent."""
    registry(app).seeders.append((order, seeder))
    registry(app).seeders.sort(key=lambda s: s[0])


def nav_for(user) -> list[NavItem]:
    return [item for item in registry().nav if item.allowed(user)]
