"""The import graph of a package (default `scoring`): which of its modules import which, and what
each takes from the other top-level packages. Static (ast), so nothing is imported.

    python bench/imports.py [scoring] [--dot]
"""

from __future__ import annotations

import argparse
import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("rules", "evidence", "scoring", "web", "cli")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every module of this project that `path` imports (at any depth in the file)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            # `from scoring import compare`: a submodule, when such a file exists
            found |= {f"{node.module}.{a.name}" for a in node.names if _exists(f"{node.module}.{a.name}")}
    return {m for m in found if m.split(".")[0] in LAYERS}


def _exists(module: str) -> bool:
    base = ROOT.joinpath(*module.split("."))
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def graph(package: str) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    for path in sorted((ROOT / package).rglob("*.py")):
        name = module_name(path)
        edges[name] |= {m for m in imports_of(path) if m != name}
    return edges


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", nargs="?", default="scoring")
    parser.add_argument("--dot", action="store_true", help="Graphviz dot instead of text")
    args = parser.parse_args()
    edges = graph(args.package)
    if args.dot:
        print("digraph imports {\n  rankdir=LR;")
        for name, targets in sorted(edges.items()):
            for t in sorted(t for t in targets if t.startswith(args.package + ".")):
                print(f'  "{name}" -> "{t}";')
        print("}")
        return
    for name, targets in sorted(edges.items()):
        inside = sorted(t for t in targets if t.startswith(args.package + ".") or t == args.package)
        outside = sorted({".".join(t.split(".")[:2]) for t in targets if t.split(".")[0] != args.package})
        print(f"{name}\n  -> {', '.join(inside) or '—'}\n  uses {', '.join(outside) or '—'}")
    print(f"{len(edges)} modules, {sum(len(t) for t in edges.values())} imports")


if __name__ == "__main__":
    main()
