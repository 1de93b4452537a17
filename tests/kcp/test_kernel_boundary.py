"""The kernel imports nothing above it: no router, no subgraph, no demo data, no command line.

Checked over the source rather than at run time, so an import inside a function or behind
``TYPE_CHECKING`` counts as much as one at the top, and an import by string counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import kcp

KERNEL = Path(kcp.__file__).parent
ABOVE_THE_KERNEL = ("router", "subgraphs", "demo", "commands")


def _imported_modules(tree: ast.AST) -> list[str]:
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
        elif isinstance(node, ast.Call) and _calls_an_importer(node) and node.args:
            argument = node.args[0]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                names.append(argument.value)
            elif isinstance(argument, ast.JoinedStr):
                names.append("".join(str(v.value) if isinstance(v, ast.Constant) else "{}" for v in argument.values))
    return names


def _calls_an_importer(call: ast.Call) -> bool:
    function = call.func
    name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
    return name in {"import_module", "__import__"}


def test_the_kernel_imports_nothing_above_it() -> None:
    offending = [
        f"{path.relative_to(KERNEL.parent)}: {module}"
        for path in sorted(KERNEL.rglob("*.py"))
        for module in _imported_modules(ast.parse(path.read_text(encoding="utf-8")))
        if module.split(".")[0] in ABOVE_THE_KERNEL
    ]
    assert offending == []


def test_the_check_sees_imports_inside_functions_and_by_string() -> None:
    source = """
def f():
    from router.app import run
    importlib.import_module(f"subgraphs.{name}.seed")
"""
    assert _imported_modules(ast.parse(source)) == ["router.app", "subgraphs.{}.seed"]
