"""The type stubs and Literal aliases agree with the extension."""

from __future__ import annotations

import subprocess
import sys
import typing
from pathlib import Path

import kartotek
from kartotek import _kartotek, _literals

REPO = Path(__file__).resolve().parents[2]


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
