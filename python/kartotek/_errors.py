"""The exceptions kartotek raises: one class per kind of kartotek::Error.

The extension's translator raises these for the C++ exceptions; scripts catch
them by kind, or all of them as ``kartotek.Error``.
"""

from __future__ import annotations

from typing import Any, Tuple


class Error(Exception):
    """Base of every exception kartotek raises on purpose."""

    #: The C++ ErrorCode's name ("not_found", "validation" …).
    code: str = ""


class NotFound(Error, LookupError):
    """The record named does not exist."""

    code = "not_found"


class PermissionDenied(Error):
    """The acting user lacks the right named in the message (or is unknown or deactivated)."""

    code = "permission_denied"


class ValidationError(Error, ValueError):
    """A value is not acceptable; ``field`` names it ("number", "invoice_address.city")."""

    code = "validation"

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        #: The dotted path of the refused field; empty when no field is to blame.
        self.field = field
        #: The message without the field's name in front ("required").
        self.reason = message[len(field) + 2 :] if field and message.startswith(field + ": ") else message

    def __reduce__(self) -> Tuple[Any, ...]:
        return (type(self), (str(self), self.field))


class Conflict(Error):
    """The command collides with the register's state: a number in use, linked records, a stale revision."""

    code = "conflict"


class CorruptError(Error):
    """Stored data failed a check."""

    code = "corrupt"


class IoError(Error, OSError):
    """The operating system refused a read or a write."""

    code = "io"
