"""The commands of a register, for :meth:`kartotek.Register.apply`.

Every change to a register is one of these plain values, applied on behalf of
an acting user. The methods of :class:`kartotek.Register` (``create_customer``,
``link_contact`` …) build and apply them for you; ``apply`` takes them as
values, for scripts that build a list of changes first.

    >>> import kartotek
    >>> from kartotek import commands
    >>> reg = kartotek.Register()
    >>> admin = reg.create_first_administrator("anna", "Anna Lindqvist")
    >>> reg.apply(admin, commands.CreateCustomer(customer=kartotek.Customer(number="1", name="Ek AB")))
    Applied(change=2, created=RecordRef(kind='customer', id=1))
    >>> reg.apply(admin, commands.DeactivateCustomer(customer=1), source="merge")
    Applied(change=3, created=None)
"""

from __future__ import annotations

from typing import Union

from ._kartotek import (
    AcknowledgeNotifications,
    AssignTechnician,
    CreateContact,
    CreateCustomer,
    CreateCustomerUser,
    CreateFacility,
    CreateFirstAdministrator,
    CreateServiceObject,
    CreateUser,
    CreateUserGroup,
    DeactivateCustomer,
    DeleteContact,
    DeleteCustomer,
    DeleteCustomerUser,
    DeleteFacility,
    DeleteServiceObject,
    DeleteUserGroup,
    LinkContact,
    ReactivateCustomer,
    SetCustomerUserLocked,
    UnlinkContact,
    UpdateContact,
    UpdateContactLink,
    UpdateCustomer,
    UpdateFacility,
    UpdateServiceObject,
    UpdateSettings,
    UpdateUser,
    UpdateUserGroup,
)

# Any command (the C++ std::variant Command, in the same order).
Command = Union[
    CreateFirstAdministrator,
    CreateCustomer,
    UpdateCustomer,
    DeactivateCustomer,
    ReactivateCustomer,
    DeleteCustomer,
    AssignTechnician,
    CreateContact,
    UpdateContact,
    DeleteContact,
    LinkContact,
    UpdateContactLink,
    UnlinkContact,
    CreateFacility,
    UpdateFacility,
    DeleteFacility,
    CreateServiceObject,
    UpdateServiceObject,
    DeleteServiceObject,
    CreateUser,
    UpdateUser,
    UpdateSettings,
    CreateUserGroup,
    UpdateUserGroup,
    DeleteUserGroup,
    AcknowledgeNotifications,
    CreateCustomerUser,
    SetCustomerUserLocked,
    DeleteCustomerUser,
]

__all__ = [
    "AcknowledgeNotifications",
    "AssignTechnician",
    "Command",
    "CreateContact",
    "CreateCustomer",
    "CreateCustomerUser",
    "CreateFacility",
    "CreateFirstAdministrator",
    "CreateServiceObject",
    "CreateUser",
    "CreateUserGroup",
    "DeactivateCustomer",
    "DeleteContact",
    "DeleteCustomer",
    "DeleteCustomerUser",
    "DeleteFacility",
    "DeleteServiceObject",
    "DeleteUserGroup",
    "LinkContact",
    "ReactivateCustomer",
    "SetCustomerUserLocked",
    "UnlinkContact",
    "UpdateContact",
    "UpdateContactLink",
    "UpdateCustomer",
    "UpdateFacility",
    "UpdateServiceObject",
    "UpdateSettings",
    "UpdateUser",
    "UpdateUserGroup",
]
