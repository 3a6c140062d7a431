"""The package's layout shows the flow (docs/architecture.md): models → calendar → packs →
semantics → engine / batch / stream / service / cli. Imports go down the flow only, no module
imports itself back round a cycle (lazy imports included), and modules stay small."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "govrules"
# each layer may import the layers listed before it (and itself), never one after it
LAYERS = [
    # display renders what semantics and packs hand it (their _repr_html_), importing neither
    {"errors", "chars", "json_reader", "yaml_reader", "textfile", "table", "labels", "display"},
    {"models"},
    {"calendar"},
    {"packs"},
    {"semantics"},
    {"engine"},
    {"batch", "stream", "catalog", "run_options"},  # run_options: what cli and stream's watch share
    {"analysis", "service", "cli"},
]
MAX_LINES = 400
TOO_LONG_FOR_NOW: set[str] = set()  # modules still to be split: none


def _module(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every govrules module the file imports, at module level or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If)
                   and "TYPE_CHECKING" in ast.unparse(block.test) for stmt in block.body for n in ast.walk(stmt)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:  # names for the type checker: not imported at run time
            continue
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("govrules")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("govrules") and node.level == 0:
            found.add(node.module)
            for alias in node.names:  # `from govrules.x import y` may name a module y
                candidate = f"{node.module}.{alias.name}"
                if (SRC / Path(*candidate.split("."))).with_suffix(".py").exists():
                    found.add(candidate)
    return found


def _graph() -> dict[str, set[str]]:
    files = {_module(p): p for p in PACKAGE.rglob("*.py")}
    return {name: {i for i in _imports(path) if i in files and i != name} for name, path in files.items()}


def _layer(module: str) -> int | None:
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else ""
    return next((i for i, layer in enumerate(LAYERS) if top in layer), None)


def test_imports_go_down_the_flow() -> None:
    wrong = []
    for module, targets in _graph().items():
        here = _layer(module)
        for target in targets:
            there = _layer(target)
            if here is not None and there is not None and there > here:
                wrong.append(f"{module} -> {target}")
    assert not wrong, "imports against the flow:\n" + "\n".join(sorted(wrong))


def test_no_import_cycles() -> None:
    """No module reaches itself through imports (a package's __init__ re-exporting its modules
    is not a cycle: importing a submodule runs the __init__ first by design)."""
    graph = _graph()
    graph = {m: {t for t in ts if not m.startswith(t + ".")} for m, ts in graph.items()}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_modules_are_small() -> None:
    long = {_module(p): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert set(long) <= TOO_LONG_FOR_NOW, f"modules over {MAX_LINES} lines: {long}"
