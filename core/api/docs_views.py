"""The API's page for developers, drawn on the server from the document (the
page's policy loads no script, so no JavaScript viewer)."""

from flask import Blueprint, Flask, current_app, render_template, url_for

from core.api import errors


def titles(app: Flask) -> dict:
    """Each group's heading on the page, by blueprint name."""
    return app.extensions.setdefault("kompetence_api_titles", {})


def _operations(spec: dict) -> list[tuple[dict, list[dict]]]:
    """(tag, operations) in the document's order, each operation with its method
    and path."""
    by_tag: dict[str, list[dict]] = {}
    for path, item in spec.get("paths", {}).items():
        for method in ("get", "post", "put", "patch", "delete"):
            if method in item:
                op = dict(item[method], method=method.upper(), path=path)
                op["parameters"] = item.get("parameters", []) + op.get("parameters", [])
                op["scopes"] = sorted(
                    {
                        s
                        for req in op.get("security", [])
                        for v in req.values()
                        for s in v
                    }
                )
                by_tag.setdefault(op.get("tags", ["api"])[0], []).append(op)
    tags = {t["name"]: t for t in spec.get("tags", [])}
    return [(tags.get(name, {"name": name}), ops) for name, ops in by_tag.items()]


def init_app(app: Flask, api, prefix: str) -> None:
    bp = Blueprint("api_docs", __name__, url_prefix=prefix)

    @bp.get("/docs")
    def index():
        spec = api.spec.to_dict()
        return render_template(
            "core/api/docs.html",
            spec=spec,
            groups=_operations(spec),
            codes=sorted(errors.CODES.items()),
            titles=titles(current_app),
            token_page=url_for("api_tokens.index"),
        )

    app.register_blueprint(bp)
