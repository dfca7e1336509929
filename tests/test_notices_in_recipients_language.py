"""Every notice and mail is written in its recipient's language: each call of
notify() or mail_user() in the code sits in a `with in_language_of(recipient)`
(or force_locale) block, or in a helper of its module that is only called from
such blocks. Read from the source, so a new notice is checked without a test
that happens to send it to an English reader."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SENDERS = {"notify", "mail_user"}
LANGUAGE_BLOCKS = {"in_language_of", "force_locale"}
DEFINED_HERE = ROOT / "core" / "notifications" / "services.py"


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _in_language(node: ast.AST, parents: dict) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.With | ast.AsyncWith) and any(
            isinstance(item.context_expr, ast.Call)
            and _name(item.context_expr) in LANGUAGE_BLOCKS
            for item in node.items
        ):
            return True
    return False


def _function_of(node: ast.AST, parents: dict) -> ast.FunctionDef | None:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.FunctionDef):
            return node
    return None


def unwrapped_calls() -> list[str]:
    found = []
    for path in sorted(ROOT.glob("[clc]*/**/*.py")):
        if path == DEFINED_HERE or path.parts[len(ROOT.parts)] not in (
            "core",
            "courses",
            "learning",
        ):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {c: p for p in ast.walk(tree) for c in ast.iter_child_nodes(p)}
        calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
        for call in calls:
            if _name(call) not in SENDERS or _in_language(call, parents):
                continue
            helper = _function_of(call, parents)
            uses = [c for c in calls if helper and _name(c) == helper.name]
            if uses and all(_in_language(c, parents) for c in uses):
                continue  # a helper only called in the recipient's language
            found.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    return found


def test_every_notice_is_written_in_the_recipients_language():
    assert unwrapped_calls() == []
