"""The names kartotek accepts where the C++ API has an enum.

Each alias lists the JSON spelling of the enum's values (EnumNames<E> in the
C++ headers); tests/python/test_stubs.py checks that they agree.
"""

from __future__ import annotations

from typing import Literal

CustomerKind = Literal["company", "private"]
Source = Literal["api", "import", "merge", "system"]
Action = Literal["created", "changed", "deleted", "linked", "unlinked"]
RecordKind = Literal[
    "customer", "contact", "facility", "service_object", "user", "settings", "user_group", "order", "article",
    "activity",
]
TextMatch = Literal["prefix", "substring"]
CustomerColumn = Literal[
    "number",
    "name",
    "kind",
    "organisation_number",
    "category",
    "email",
    "phone",
    "city",
    "postal_code",
    "active",
    "technician",
    "created_at",
]
ContactColumn = Literal["last_name", "first_name", "email", "category", "created_at"]
# Where customer search text is looked for (CustomerQuery::search_in):
# "custom" is the customer's searchable custom fields of text types.
SearchField = Literal["name", "contact_name", "email", "custom"]
# When an acknowledged command is on stable storage (Register.open).
Durability = Literal["sync", "batch", "none"]
# Staff or customer user (User.kind).
UserKind = Literal["staff", "customer"]
# A right of a module (docs/rights.md); User.rights and UserGroup.rights hold them.
Right = Literal[
    "customers.view",
    "customers.view_assigned",
    "customers.edit",
    "customers.edit_assigned",
    "customers.create",
    "customers.delete",
    "customers.upload",
    "customers.create_customer_users",
    "customers.change_customer_user_rights",
    "customers.delete_customer_users",
    "customers.assign",
    "customers.delete_files",
    "contact_orders.view",
    "contact_orders.view_assigned",
    "contact_orders.edit",
    "contact_orders.create",
    "contact_orders.delete",
    "contact_orders.assign",
    "contact_orders.assign_self",
    "contact_orders.delete_files",
    "facilities.view",
    "facilities.view_assigned",
    "facilities.edit",
    "facilities.edit_assigned",
    "facilities.create",
    "facilities.delete",
    "facilities.upload",
    "facilities.delete_files",
    "service_objects.view",
    "service_objects.view_assigned",
    "service_objects.edit",
    "service_objects.edit_assigned",
    "service_objects.create",
    "service_objects.delete",
    "service_objects.upload",
    "service_objects.delete_files",
    "orders.view",
    "orders.view_assigned",
    "orders.edit",
    "orders.edit_assigned",
    "orders.create",
    "orders.delete",
    "orders.upload",
    "orders.assign",
    "orders.assign_self",
    "orders.delete_files",
    "contacts.view",
    "contacts.view_assigned",
    "contacts.edit",
    "contacts.edit_assigned",
    "contacts.create",
    "contacts.delete",
    "contacts.upload",
    "contacts.delete_files",
]
# What a notification tells (Notification.kind) and how it goes out (Notification.channel).
NotificationKind = Literal["assigned", "unassigned", "order_assigned", "order_unassigned", "booking", "reminder"]
Channel = Literal["in_app", "email", "sms"]
# The kinds of order (Order.kind); each has its own running number.
OrderKind = Literal["work_order", "service_order", "error_report", "quotation", "contact_order", "sales_order"]
# How a booked next contact is made (Booking.kind).
BookingKind = Literal["phone", "meeting", "digital"]
# The columns an order list sorts by (OrderQuery.sort, Register.search_orders).
OrderColumn = Literal[
    "number",
    "kind",
    "customer",
    "subject",
    "status",
    "planned",
    "created_at",
    "cost_center",
    "customer_order_number",
]
# The lists that are exported (all) and imported from CSV (all but orders).
ListKind = Literal["customers", "contacts", "facilities", "orders"]
# The lists Register.import_csv reads.
ImportKind = Literal["customers", "contacts", "facilities"]
# What an export writes: CSV for a Nordic Excel, plain CSV, or JSON.
ExportFormat = Literal["excel", "csv", "json"]
# The columns a facility list sorts by (Register.search_facilities).
FacilityColumn = Literal["name", "number", "city", "customer", "created_at"]
# What an activity of the CRM is (Activity.kind, ActivityQuery.kinds).
ActivityKind = Literal["note", "meeting", "task", "email", "journal", "file", "reminder"]
# What a custom field holds (FieldDefinition.type).
FieldType = Literal[
    "text", "integer", "decimal", "date", "boolean", "choice", "multi_choice", "email", "phone", "url"
]
# How a search filter compares a custom field's value (CustomFilter.match).
CustomMatch = Literal["equals", "contains", "at_least", "at_most"]
# The vCard versions (Register.customer_vcard, Register.contact_vcard).
VCardVersion = Literal["3.0", "4.0"]
# How much of a QR code may be damaged and still read (qr_svg, qr_png).
QrErrorCorrection = Literal["low", "medium", "quartile", "high"]
