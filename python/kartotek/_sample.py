"""A realistic sample register for `kartotek demo`: Nordic companies and
private customers with contact persons, facilities, service objects and
technicians. The same seed gives the same register."""

from __future__ import annotations

import random
from datetime import datetime, timezone
from typing import Callable, Optional

from ._kartotek import (
    Address,
    Article,
    Booking,
    Contact,
    Customer,
    Facility,
    Order,
    OrderLine,
    Register,
    ServiceObject,
    User,
    UserGroup,
)
from ._literals import OrderKind

_FIRST_NAMES = [
    "Anna", "Åsa", "Björn", "Sören", "Märta", "Göran", "Øystein", "Ærling", "Lars", "Karin",
    "Mikael", "Eva", "Jörgen", "Ingrid", "Päivi", "Jussi", "Signe", "Ole", "Maja", "Nils",
]
_LAST_NAMES = [
    "Åberg", "Öberg", "Lindqvist", "Ærø", "Sørensen", "Nyström", "Bäckström", "Holm",
    "Mäkinen", "Jørgensen", "Ekström", "Dahl", "Lindgren", "Østergaard", "Håkansson", "Berg",
]
_COMPANY_WORDS = [
    "Kyl", "Värme", "Hiss", "Fastighets", "Ventilation", "Brand", "Larm", "El", "Rör",
    "Tak", "Måleri", "Städ", "Smörgås", "Bygg", "Energi", "Køle", "Søstrene", "Fjärr",
]
_COMPANY_SUFFIXES = ["AB", "AB", "AB", "ApS", "A/S", "AS", "Oy", "HB", "& Co AB"]
_PLACES = [
    ("Stockholm", "111 51", "SE", "Drottninggatan"),
    ("Göteborg", "411 05", "SE", "Kungsportsavenyn"),
    ("Malmö", "211 22", "SE", "Södergatan"),
    ("Umeå", "903 26", "SE", "Storgatan"),
    ("Västerås", "722 15", "SE", "Stora Gatan"),
    ("Jönköping", "553 20", "SE", "Östra Storgatan"),
    ("København", "1050", "DK", "Østergade"),
    ("Århus", "8000", "DK", "Søndergade"),
    ("Odense", "5000", "DK", "Vestergade"),
    ("Oslo", "0159", "NO", "Karl Johans gate"),
    ("Tromsø", "9008", "NO", "Storgata"),
    ("Helsinki", "00100", "FI", "Mannerheimintie"),
]
_ROLES = ["VD", "Inköp", "Fastighetsskötare", "Driftchef", "Ekonomi", "Servicetekniker"]
_CATEGORIES = ["Fastighet", "Industri", "Handel", "Kommun", "Bostadsrätt"]
_OBJECT_TYPES = [
    ("Värmepump", "VP"), ("Kylaggregat", "KA"), ("Hiss", "HI"), ("Brandlarm", "BL"),
    ("Ventilationsaggregat", "FTX"), ("Passagesystem", "PS"),
]
_FACILITY_KINDS = ["Huvudkontor", "Lager", "Butik", "Fastighet", "Verkstad", "Skola"]
_JOBS = [
    "Årlig service", "Läcka vid kylaggregat", "Larmet tjuter", "Byte av filter", "Hissen står still",
    "Besiktning", "Kontroll av värmepump", "Trasig dörrstängare",
]
_ORDER_KINDS: list[OrderKind] = ["work_order", "service_order", "service_order", "error_report"]
_LEADS = ["Intresserad av serviceavtal", "Vill ha offert på ny värmepump", "Frågar om larmpaket"]

TECHNICIANS = [
    ("tina", "Tina Tekniker"),
    ("bjorn", "Björn Ståhl"),
    ("soren", "Søren Ærø"),
    ("maja", "Maja Öhman"),
]


def _plain(text: str) -> str:
    """ASCII letters for e-mail addresses."""
    table = str.maketrans({"å": "a", "ä": "a", "ö": "o", "æ": "ae", "ø": "o", "é": "e", "ü": "u"})
    return "".join(c for c in text.lower().translate(table) if c.isalnum())


def build_sample(
    reg: Register,
    admin: int,
    customers: int,
    seed: int = 1,
    progress: Optional[Callable[[int, int], None]] = None,
) -> None:
    """Fills `reg` with `customers` customers (about one in five a private
    person), 3 contact persons per company, facilities and service objects,
    four technicians to whom most customers are assigned, an article
    catalogue, and orders: up to three per customer, some closed, and now
    and then a contact order with a call booked."""
    rnd = random.Random(seed)
    # Technicians see and change what is assigned to them.
    group = reg.create_user_group(admin, UserGroup(name="Tekniker", rights=[
        "customers.view_assigned", "customers.edit_assigned", "contacts.view_assigned",
        "contacts.edit_assigned", "facilities.view_assigned", "facilities.edit_assigned",
        "service_objects.view_assigned", "service_objects.edit_assigned", "orders.view_assigned",
        "orders.edit_assigned", "contact_orders.view_assigned",
    ]))
    technicians = [
        reg.create_user(admin, User(login=login, name=name, email=f"{login}@service.example", groups=[group]))
        for login, name in TECHNICIANS
    ]
    reg.create_article(admin, Article(number="TIM", name="Arbetstimme", unit="h", price=650, time_article=True))
    reg.create_article(admin, Article(number="RES", name="Resa", unit="st", price=395))
    for i in range(customers):
        city, postal_code, country, street = rnd.choice(_PLACES)
        address = Address(
            street=f"{street} {rnd.randint(1, 120)}", postal_code=postal_code, city=city, country=country
        )
        number = str(1001 + i)
        if rnd.random() < 0.2:
            first, last = rnd.choice(_FIRST_NAMES), rnd.choice(_LAST_NAMES)
            customer = Customer(
                number=number,
                name=f"{last}, {first}",
                kind="private",
                email=f"{_plain(first)}.{_plain(last)}{i}@post.example",
                phone=f"070-{rnd.randint(100, 999)} {rnd.randint(10, 99)} {rnd.randint(10, 99)}",
                invoice_address=address,
            )
        else:
            word = rnd.choice(_COMPANY_WORDS)
            owner = rnd.choice(_LAST_NAMES)
            name = f"{owner}s {word} {rnd.choice(_COMPANY_SUFFIXES)}"
            customer = Customer(
                number=number,
                name=name,
                organisation_number=f"55{rnd.randint(0, 9999):04d}-{rnd.randint(0, 9999):04d}",
                email=f"info@{_plain(owner)}{_plain(word)}{i}.example",
                phone=f"0{rnd.randint(8, 99)}-{rnd.randint(100000, 999999)}",
                category=rnd.choice(_CATEGORIES),
                invoice_address=address,
            )
        cid = reg.create_customer(admin, customer, source="import")
        if rnd.random() < 0.8:
            reg.assign_technician(admin, cid, rnd.choice(technicians), source="import")

        if customer.kind == "company":
            for role in rnd.sample(_ROLES, 3):
                first, last = rnd.choice(_FIRST_NAMES), rnd.choice(_LAST_NAMES)
                contact = Contact(
                    first_name=first,
                    last_name=last,
                    email=f"{_plain(first)}.{_plain(last)}@{customer.email.split('@')[1]}",
                    phone=f"070-{rnd.randint(1000000, 9999999)}",
                )
                pid = reg.create_contact(admin, contact, source="import")
                reg.link_contact(admin, pid, cid, role=role, send_work_orders=role == "Driftchef",
                                 source="import")
            for f in range(rnd.randint(1, 3)):
                kind = rnd.choice(_FACILITY_KINDS)
                fid = reg.create_facility(
                    admin,
                    Facility(customer=cid, name=f"{kind} {city}", number=f"{number}-{f + 1}", address=address),
                    source="import",
                )
                for o in range(rnd.randint(0, 3)):
                    type_name, prefix = rnd.choice(_OBJECT_TYPES)
                    reg.create_service_object(
                        admin,
                        ServiceObject(
                            facility=fid,
                            identifier=f"{prefix}-{number}-{f + 1}{o + 1}",
                            type=type_name,
                            name=f"{type_name} {o + 1}",
                        ),
                        source="import",
                    )
        # Orders: service and work orders, error reports, and now and then a
        # seller's contact order with a call booked for the technician.
        for _ in range(rnd.randint(0, 3)):
            kind = rnd.choice(_ORDER_KINDS)
            lines = [OrderLine(article_number="RES"), OrderLine(article_number="TIM", hours=rnd.choice([0, 1, 2.5]))]
            oid = reg.create_order(admin, Order(kind=kind, customer=cid, subject=rnd.choice(_JOBS),
                                                lines=lines if kind != "error_report" else []), source="import")
            if rnd.random() < 0.3:
                reg.close_order(admin, oid, source="import")
        if customer.kind == "company" and rnd.random() < 0.1:
            caller = rnd.choice(technicians)
            call = Booking(kind="phone", when=datetime(2026, 12, rnd.randint(1, 28), 9, tzinfo=timezone.utc),
                           user=caller, text="Ring tillbaka")
            reg.create_order(admin, Order(kind="contact_order", customer=cid, subject=rnd.choice(_LEADS),
                                          assigned=[caller], bookings=[call]), source="import")
        if progress is not None:
            progress(i + 1, customers)
