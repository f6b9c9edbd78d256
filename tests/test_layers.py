"""The package's shape: layers one way down, no borrowed private names, errors in one module.

Read from the source with ``ast`` (nothing is imported), so that the rules of
CONTRIBUTING.md hold for every module, including the next one.
"""

from __future__ import annotations

import ast
import importlib.metadata
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import iku_formula

PACKAGE = Path(iku_formula.__file__).resolve().parent
MAX_LINES = 800

# The layers, lowest first. A module may import, at module level, only from its own
# layer or below; what sits higher is reached through a lazy import inside a function
# (the Catalog's convenience methods) or not at all.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "numbers", "escaping", "_optional", "i18n"),
    ("language", "achievement", "periods", "predikat"),
    ("model",),
    ("engines", "evaluation"),
    ("catalog",),
    ("rollup", "consistency", "sheets", "needed"),
    ("report", "explain", "sql"),
    ("notebook", "cli", "__init__", "__main__"),
)


def _modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        yield ".".join(parts), path


MODULES = dict(_modules())


def _layer(module: str) -> int:
    top = module.split(".")[0]
    for rank, names in enumerate(LAYERS):
        if top in names or any(top.startswith(name + "_") for name in names):
            return rank
    raise AssertionError(f"module {module} is in no layer of tests/test_layers.py: add it")


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    """The dotted name (inside the package) that ``from ... import`` reads."""
    if node.level == 0:
        name = node.module or ""
        return name.removeprefix("iku_formula.").removeprefix("iku_formula")
    package = module.split(".")[:-1]  # "report.__init__" and "report.json" are in "report"
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])]).removesuffix(".__init__")


def _module_level_imports(tree: ast.Module) -> Iterator[ast.ImportFrom]:
    """Imports that run when the module is imported (not under TYPE_CHECKING, not lazy)."""
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            yield node
        elif isinstance(node, ast.Try):
            yield from (n for n in node.body if isinstance(n, ast.ImportFrom))


def _all_imports(tree: ast.Module) -> Iterator[ast.ImportFrom]:
    yield from (node for node in ast.walk(tree) if isinstance(node, ast.ImportFrom))


def _is_private_module(name: str) -> bool:
    return any(part.startswith("_") and not part.startswith("__") for part in name.split("."))


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_borrows_private_names(module: str) -> None:
    path = MODULES[module]
    borrowed = []
    for node in _all_imports(ast.parse(path.read_text(encoding="utf-8"))):
        source = _resolve(module, path, node)
        if node.level == 0 and not (node.module or "").startswith("iku_formula"):
            continue  # another package
        if _is_private_module(source):
            continue  # a private module exists to be shared inside the package (attrs' _make)
        borrowed += [
            f"{alias.name} from {source}"
            for alias in node.names
            if alias.name.startswith("_")
            and not alias.name.startswith("__")
            and alias.name != "_"  # i18n's gettext function, public by convention
        ]
    assert not borrowed, f"{module} imports private names: {borrowed}; make them public"


# sympy's printers are extended through their documented hooks: ``printer._print(expr)``
# and ``super()._print_<Class>``; no other private attribute is reached from outside.
SYMPY_PRINTER_HOOKS = ("_print",)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_private_attribute_is_reached_from_outside(module: str) -> None:
    reached = []
    for node in ast.walk(ast.parse(MODULES[module].read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Attribute) or not node.attr.startswith("_"):
            continue
        if node.attr.startswith("__") or node.attr.startswith(SYMPY_PRINTER_HOOKS):
            continue
        owner = node.value
        if isinstance(owner, ast.Name) and owner.id in ("self", "cls"):
            continue
        reached.append(f"line {node.lineno}: {ast.unparse(node)}")
    assert not reached, f"{module} reaches private attributes: {reached}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_shared_names_are_in_their_modules_all(module: str) -> None:
    """A name another module imports is public: listed in its module's ``__all__``."""
    path = MODULES[module]
    unlisted = []
    for node in _all_imports(ast.parse(path.read_text(encoding="utf-8"))):
        if node.level == 0:
            continue
        source = _resolve(module, path, node)
        if source not in MODULES or _is_private_module(source):
            continue  # a package's __init__ re-exporting, or a private module
        exported = _declared_all(source)
        if exported is None:
            continue
        unlisted += [f"{a.name} from {source}" for a in node.names if a.name not in exported]
    assert not unlisted, f"{module} imports names missing from their __all__: {unlisted}"


def _declared_all(module: str) -> set[str] | None:
    for node in ast.parse(MODULES[module].read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets
        ):
            return {ast.literal_eval(item) for item in node.value.elts}  # type: ignore[attr-defined]
    return None


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_go_one_way_down(module: str) -> None:
    path = MODULES[module]
    rank = _layer(module)
    upward = []
    for node in _module_level_imports(ast.parse(path.read_text(encoding="utf-8"))):
        if node.level == 0 and not (node.module or "").startswith("iku_formula"):
            continue
        source = _resolve(module, path, node)
        if not source:
            continue  # "from . import __version__"-style reads of the package itself
        if _layer(source) > rank:
            upward.append(source)
    assert not upward, f"{module} (layer {rank}) imports from higher layers: {upward}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_is_too_long(module: str) -> None:
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{module} has {lines} lines; split it by concept"


def test_every_public_error_lives_in_errors_py() -> None:
    stray = []
    for module, path in MODULES.items():
        if module == "errors":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ClassDef) or node.name.startswith("_"):
                continue
            bases = {getattr(base, "id", getattr(base, "attr", "")) for base in node.bases}
            if any(base.endswith(("Error", "Exception")) for base in bases):
                stray.append(f"{module}.{node.name}")
    assert not stray, f"error classes outside errors.py: {stray}"


def test_every_error_is_an_iku_error() -> None:
    from iku_formula import errors

    for name in errors.__all__:
        value = getattr(errors, name)
        if isinstance(value, type) and issubclass(value, BaseException):
            assert issubclass(value, errors.IkuError), name


def test_version_comes_from_the_installed_metadata() -> None:
    assert iku_formula.__version__ == importlib.metadata.version("iku-formula")


def test_the_version_is_read_only_when_asked() -> None:
    """importlib.metadata costs a tenth of the start-up (benchmarks, figure 1)."""
    script = (
        "import sys, iku_formula; iku_formula.load_catalog(); "
        "assert 'importlib.metadata' not in sys.modules, 'imported at start-up'; "
        "print(iku_formula.__version__)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == importlib.metadata.version("iku-formula")
