"""The package: version, exports, and that every public function is tested."""

from __future__ import annotations

import re
from pathlib import Path

import kartotek
from kartotek import _kartotek

HERE = Path(__file__).resolve().parent


def test_version_has_one_source() -> None:
    header = (HERE.parents[1] / "include" / "kartotek" / "version.hpp").read_text(encoding="utf-8")
    [from_header] = re.findall(r'#define KARTOTEK_VERSION_STRING "([^"]+)"', header)
    assert kartotek.__version__ == kartotek.version() == _kartotek.HEADER_VERSION == from_header


def test_all_names_are_exported() -> None:
    for name in kartotek.__all__:
        assert hasattr(kartotek, name), name
    for name in kartotek.commands.__all__:
        assert hasattr(kartotek.commands, name), name
    public = {n for n in dir(_kartotek) if not n.startswith("_") and n != "HEADER_VERSION"}
    commands = set(kartotek.commands.__all__)
    assert public <= set(kartotek.__all__) | commands
    assert kartotek.Register.__module__ == "kartotek" and kartotek.commands.CreateCustomer.__module__ == "kartotek.commands"


def test_exceptions_form_one_hierarchy() -> None:
    for cls in (kartotek.NotFound, kartotek.PermissionDenied, kartotek.ValidationError, kartotek.Conflict,
                kartotek.CorruptError, kartotek.IoError):
        assert issubclass(cls, kartotek.Error) and cls.code
    e = kartotek.ValidationError("invoice_address.city: is longer than 200 characters", "invoice_address.city")
    assert e.reason == "is longer than 200 characters"
    assert kartotek.ValidationError("bad json", "").reason == "bad json"


def test_every_public_function_has_a_test() -> None:
    """Each public method and attribute of the API is named in some test."""
    sources = "\n".join(
        p.read_text(encoding="utf-8") for p in HERE.glob("test_*.py") if p.name != "test_package.py"
    )
    sources += (HERE.parents[1] / "docs" / "python.md").read_text(encoding="utf-8")
    names = set()
    for cls in (kartotek.Register, kartotek.ManualClock, kartotek.SystemClock, kartotek.Page, kartotek.Customer,
                kartotek.LinkedContact, kartotek.Counts, kartotek.Applied):
        names |= {n for n in dir(cls) if not n.startswith("_")}
    missing = sorted(n for n in names if not re.search(rf"\.{n}\b|\b{n}=", sources))
    assert missing == []
