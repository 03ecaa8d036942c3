"""kartotek: the register core of service and CRM software, from Python.

A :class:`Register` holds customers, contact persons, facilities, service
objects, orders, users, settings and the field-level history of every change.
Every change is made on behalf of an acting user (an id) and is applied whole
or not at all; a refused change raises a subclass of :class:`Error`.

    >>> import kartotek
    >>> reg = kartotek.Register()
    >>> admin = reg.create_first_administrator("anna", "Anna Lindqvist")
    >>> cid = reg.create_customer(admin, kartotek.Customer(number="1001", name="Åberg AB"))
    >>> reg.customer(admin, cid)
    Customer(id=1, number='1001', name='Åberg AB')

The guide is docs/python.md.
"""

from __future__ import annotations

from . import commands
from ._errors import (
    Conflict,
    CorruptError,
    Error,
    IoError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from ._kartotek import (
    Address,
    Applied,
    Article,
    ArticleLine,
    AssignableGroup,
    Booking,
    Clock,
    Contact,
    ContactLink,
    Counts,
    Customer,
    DiscountLetter,
    Facility,
    FileInfo,
    GeoPosition,
    HistoryEntry,
    LinkedContact,
    ManualClock,
    Notification,
    OpenReport,
    Order,
    OrderFilter,
    OrderLine,
    OrderNote,
    OrderQuery,
    OrderStatuses,
    Page,
    Recipient,
    Recipients,
    RecordRef,
    Register,
    Reminder,
    ServiceObject,
    Settings,
    SystemClock,
    TimeEntry,
    TodoItem,
    User,
    UserGroup,
    every_right,
    version,
)
from ._literals import (
    Action,
    BookingKind,
    Channel,
    ContactColumn,
    CustomerColumn,
    CustomerKind,
    Durability,
    ListKind,
    NotificationKind,
    OrderColumn,
    OrderKind,
    RecordKind,
    Right,
    SearchField,
    Source,
    TextMatch,
    UserKind,
)

# One source of truth: the version of the linked C++ library
# (include/kartotek/version.hpp), which pyproject.toml also reads.
__version__: str = version()

__all__ = [
    "Action",
    "Address",
    "Applied",
    "Article",
    "ArticleLine",
    "AssignableGroup",
    "Booking",
    "BookingKind",
    "Channel",
    "Clock",
    "Conflict",
    "Contact",
    "ContactColumn",
    "ContactLink",
    "CorruptError",
    "Counts",
    "Customer",
    "CustomerColumn",
    "CustomerKind",
    "DiscountLetter",
    "Durability",
    "Error",
    "Facility",
    "FileInfo",
    "GeoPosition",
    "HistoryEntry",
    "IoError",
    "LinkedContact",
    "ListKind",
    "ManualClock",
    "NotFound",
    "Notification",
    "NotificationKind",
    "OpenReport",
    "Order",
    "OrderColumn",
    "OrderFilter",
    "OrderKind",
    "OrderLine",
    "OrderNote",
    "OrderQuery",
    "OrderStatuses",
    "Page",
    "PermissionDenied",
    "Recipient",
    "Recipients",
    "RecordKind",
    "RecordRef",
    "Register",
    "Reminder",
    "Right",
    "SearchField",
    "ServiceObject",
    "Settings",
    "Source",
    "SystemClock",
    "TextMatch",
    "TimeEntry",
    "TodoItem",
    "User",
    "UserGroup",
    "UserKind",
    "ValidationError",
    "__version__",
    "commands",
    "every_right",
    "version",
]
