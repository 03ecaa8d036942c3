"""The type stubs and Literal aliases agree with the extension."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any, Dict, List, Tuple

import kartotek
from kartotek import _kartotek, _literals

REPO = Path(__file__).resolve().parents[2]

# A signature as its parameters: positional ones, then keyword-only ones, each
# (name, default), with "<required>" for none.
_Parameters = Tuple[List[Tuple[str, Any]], List[Tuple[str, Any]]]


def _parameters(args: ast.arguments) -> _Parameters:
    def default(d: ast.expr | None) -> Any:
        if d is None:
            return "<required>"
        try:
            value = ast.literal_eval(d)
        except ValueError:
            return ast.unparse(d)
        return tuple(value) if isinstance(value, list) else value  # () in a stub, [] from pybind11

    positional = args.posonlyargs + args.args
    defaults: List[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
    defaults += args.defaults
    return ([(a.arg, default(d)) for a, d in zip(positional, defaults)],
            [(a.arg, default(d)) for a, d in zip(args.kwonlyargs, args.kw_defaults)])


def test_generated_part_of_the_stub_is_current() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "python" / "tools" / "generate_stubs.py"), "--check"],
        capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stderr


def test_literal_aliases_spell_the_cpp_enum_names() -> None:
    for alias, names in _kartotek._enum_names().items():
        assert typing.get_args(getattr(_literals, alias)) == names, alias
    assert typing.get_args(kartotek.SearchField) == ("name", "contact_name", "email", "custom")


def test_the_package_ships_its_stubs_and_marker() -> None:
    package = Path(kartotek.__file__).parent
    assert (package / "py.typed").is_file()
    assert (package / "_kartotek.pyi").is_file()


def test_register_methods_in_the_stub_take_the_parameters_of_the_extension() -> None:
    """stubtest cannot read the signatures of pybind11 functions, so the
    hand-written methods of Register are compared with the signatures
    pybind11 writes into their docstrings: names, order, keyword-only and
    defaults (one signature per overload)."""
    stub = ast.parse((REPO / "python" / "kartotek" / "_kartotek.pyi").read_text(encoding="utf-8"))
    [register] = [n for n in stub.body if isinstance(n, ast.ClassDef) and n.name == "Register"]
    in_stub: Dict[str, List[_Parameters]] = {}
    for node in register.body:
        if (isinstance(node, ast.FunctionDef) and not node.name.startswith("__")
                and not any(isinstance(d, ast.Name) and d.id == "property" for d in node.decorator_list)):
            in_stub.setdefault(node.name, []).append(_parameters(node.args))
    assert len(in_stub) > 100
    for name, expected in in_stub.items():
        lines = [re.sub(r"^\d+\. ", "", line.strip()) for line in getattr(kartotek.Register, name).__doc__.splitlines()]
        signatures = [line for line in lines
                      if line.startswith(f"{name}(") and not line.startswith(f"{name}(*args, **kwargs)")]
        found = [_parameters(typing.cast(ast.FunctionDef, ast.parse(f"def {s}: pass").body[0]).args)
                 for s in signatures]
        assert sorted(map(repr, found)) == sorted(map(repr, expected)), name
