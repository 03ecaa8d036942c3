"""The exception classes and the translation of every kartotek::Error kind."""

from __future__ import annotations

import pickle

import pytest

import kartotek
from kartotek import _kartotek

KINDS = [
    ("not_found", kartotek.NotFound, LookupError),
    ("permission_denied", kartotek.PermissionDenied, kartotek.Error),
    ("validation", kartotek.ValidationError, ValueError),
    ("conflict", kartotek.Conflict, kartotek.Error),
    ("corrupt", kartotek.CorruptError, kartotek.Error),
    ("io", kartotek.IoError, OSError),
]


@pytest.mark.parametrize(("code", "cls", "builtin"), KINDS, ids=[k[0] for k in KINDS])
def test_each_error_code_raises_its_class(code: str, cls: type, builtin: type) -> None:
    with pytest.raises(cls) as err:
        _kartotek._raise_error(code, "what went wrong")
    assert isinstance(err.value, kartotek.Error) and isinstance(err.value, builtin)
    assert err.value.code == code
    assert str(err.value) == "what went wrong"


def test_validation_error_names_the_field() -> None:
    with pytest.raises(kartotek.ValidationError) as err:
        _kartotek._raise_error("validation", "required", "invoice_address.city")
    assert err.value.field == "invoice_address.city"
    assert str(err.value) == "invoice_address.city: required"
    again = pickle.loads(pickle.dumps(err.value))
    assert (again.field, str(again)) == ("invoice_address.city", str(err.value))
    assert kartotek.ValidationError("bad").field == ""


def test_other_exceptions_keep_their_python_types() -> None:
    with pytest.raises(ValueError, match="unknown error code"):
        _kartotek._raise_error("nonsense", "x")


def test_errors_from_the_register_are_translated(reg: kartotek.Register, admin: int) -> None:
    with pytest.raises(kartotek.NotFound):
        reg.customer(admin, 5)
    with pytest.raises(kartotek.PermissionDenied):
        reg.users(77)
    with pytest.raises(kartotek.ValidationError) as err:
        reg.create_customer(admin, kartotek.Customer(number="1"))
    assert err.value.field == "name"
    reg.create_customer(admin, kartotek.Customer(number="1", name="A"))
    with pytest.raises(kartotek.Conflict):
        reg.create_customer(admin, kartotek.Customer(number="1", name="B"))
