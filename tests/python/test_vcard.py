"""vCards (Register.customer_vcard, contact_vcard) and QR codes (qr_svg, qr_png)."""

from __future__ import annotations

import re
import struct
import threading
import zlib
from typing import List, Tuple

import pytest

import kartotek
from kartotek import Address, Contact, Customer, GeoPosition, Register, User

NAME = "Åberg & Söner Kyl, Värme; Ø\\Æ AB"


def company() -> Customer:
    invoice = Address(care_of="Ekonomi", street="Box 123", postal_code="411 01", city="Göteborg", country="Sverige")
    return Customer(
        number="1001",
        name=NAME,
        phone="+46 (0)31-12 34 56",
        email="info@aberg.se",
        website="www.aberg.se",
        invoice_address=invoice,
        visiting_address=Address(street="Hamngatan 5\nPlan 3", postal_code="411 10", city="Göteborg"),
        postal_address=invoice,
        position=GeoPosition(latitude=57.70887, longitude=11.97456),
        language="sv",
        comments="Ring före besök; internt.",
    )


# The same card as tests/cpp/vcard_test.cpp expects of the same customer.
COMPANY_4_0 = (
    "BEGIN:VCARD\r\n"
    "VERSION:4.0\r\n"
    "KIND:org\r\n"
    "FN:Åberg & Söner Kyl\\, Värme; Ø\\\\Æ AB\r\n"
    "ORG:Åberg & Söner Kyl\\, Värme\\; Ø\\\\Æ AB\r\n"
    "TEL;VALUE=uri;TYPE=work,voice:tel:+46-31-12-34-56\r\n"
    "EMAIL;TYPE=work:info@aberg.se\r\n"
    "URL:https://www.aberg.se\r\n"
    "ADR;TYPE=work:;Ekonomi;Box 123;Göteborg;;411 01;Sverige\r\n"
    "ADR;TYPE=work;PREF=1:;;Hamngatan 5\\nPlan 3;Göteborg;;411 10;\r\n"
    "GEO:geo:57.70887,11.97456\r\n"
    "LANG:sv\r\n"
    "END:VCARD\r\n"
)

COMPANY_3_0 = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "FN:Åberg & Söner Kyl\\, Värme\\; Ø\\\\Æ AB\r\n"
    "N:;;;;\r\n"
    "ORG:Åberg & Söner Kyl\\, Värme\\; Ø\\\\Æ AB\r\n"
    "TEL;TYPE=WORK,VOICE:+46 (0)31-12 34 56\r\n"
    "EMAIL;TYPE=INTERNET:info@aberg.se\r\n"
    "URL:https://www.aberg.se\r\n"
    "ADR;TYPE=WORK,POSTAL:;Ekonomi;Box 123;Göteborg;;411 01;Sverige\r\n"
    "ADR;TYPE=WORK,PARCEL,PREF:;;Hamngatan 5\\nPlan 3;Göteborg;;411 10;\r\n"
    "GEO:57.70887;11.97456\r\n"
    "END:VCARD\r\n"
)


def test_a_customers_vcard_in_both_versions(reg: Register, staff: int) -> None:
    cid = reg.create_customer(staff, company())
    assert reg.customer_vcard(staff, cid) == COMPANY_4_0
    assert reg.customer_vcard(staff, cid, "4.0") == COMPANY_4_0
    assert reg.customer_vcard(staff, cid, version="3.0") == COMPANY_3_0


def test_a_contacts_vcard_names_his_first_visible_company(reg: Register, admin: int, staff: int) -> None:
    beta = reg.create_customer(staff, Customer(number="1", name="Beta AB"))
    private = reg.create_customer(staff, Customer(number="2", name="Lind, Per", kind="private"))
    asa = reg.create_contact(staff, Contact(first_name="Åsa", last_name="Øberg", title="Driftchef", mobile="070-1"))
    reg.link_contact(staff, asa, private)
    reg.link_contact(staff, asa, beta, role="Inköpare")
    card = reg.contact_vcard(staff, asa, "3.0")
    assert card == (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Åsa Øberg\r\nN:Øberg;Åsa;;;\r\nORG:Beta AB\r\n"
        "TITLE:Driftchef\r\nTEL;TYPE=CELL:070-1\r\nEND:VCARD\r\n"
    )
    # Who sees contacts but no customers sees no company.
    viewer = reg.create_user(admin, User(login="vera", name="Vera", rights=["contacts.view"]))
    assert "ORG" not in reg.contact_vcard(viewer, asa)
    assert "KIND:individual\r\n" in reg.contact_vcard(viewer, asa)


def test_unseen_and_unknown_records_are_not_found(reg: Register, admin: int, staff: int) -> None:
    cid = reg.create_customer(staff, company())
    blind = reg.create_user(admin, User(login="bo", name="Bo", rights=["customers.view_assigned"]))
    with pytest.raises(kartotek.NotFound):
        reg.customer_vcard(blind, cid)
    with pytest.raises(kartotek.NotFound):
        reg.customer_vcard(staff, 99)
    with pytest.raises(kartotek.NotFound):
        reg.contact_vcard(staff, 99)
    with pytest.raises(kartotek.ValidationError) as e:
        reg.customer_vcard(staff, cid, "2.1")  # type: ignore[arg-type]
    assert e.value.field == "version"


# ---- QR codes -------------------------------------------------------------------


def png_chunks(data: bytes) -> List[Tuple[bytes, bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert crc == zlib.crc32(kind + body)
        chunks.append((kind, body))
        at += 12 + length
    return chunks


def png_pixels(data: bytes) -> List[List[int]]:
    """The pixels (0 black, 1 white) of a 1-bit grayscale PNG, unfiltered
    as the PNG specification says (bytes per pixel: 1)."""
    chunks = png_chunks(data)
    assert chunks[0][0] == b"IHDR" and chunks[-1][0] == b"IEND"
    width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert (depth, color, interlace) == (1, 0, 0)
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride = (width + 7) // 8
    assert len(raw) == height * (1 + stride)
    rows: List[List[int]] = []
    previous = bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (1 + stride)], bytearray(raw[y * (1 + stride) + 1 : (y + 1) * (1 + stride)])
        for i in range(stride):
            a = line[i - 1] if i else 0
            b, c = previous[i], previous[i - 1] if i else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
            else:
                assert kind == 0
        rows.append([(line[x // 8] >> (7 - x % 8)) & 1 for x in range(width)])
        previous = line
    return rows


def svg_modules(svg: str) -> List[List[int]]:
    """The modules (1 dark) of qr_svg's path of rectangles."""
    box = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg)
    assert box and box[1] == box[2]
    n = int(box[1])
    path = re.search(r'<path fill="#000" d="([^"]*)"/>', svg)
    assert path
    modules = [[0] * n for _ in range(n)]
    rects = re.findall(r"M(\d+) (\d+)h(\d+)v1h-(\d+)z", path[1])
    assert "".join(f"M{x} {y}h{w}v1h-{v}z" for x, y, w, v in rects) == path[1]
    for x, y, w, v in rects:
        assert w == v
        for i in range(int(x), int(x) + int(w)):
            modules[int(y)][i] = 1
    return modules


def test_png_and_svg_draw_the_same_modules() -> None:
    svg = kartotek.qr_svg(COMPANY_4_0, module_size=3, margin=4, level="quartile")
    png = kartotek.qr_png(COMPANY_4_0, module_size=3, margin=4, level="quartile")
    modules = svg_modules(svg)
    n = len(modules)
    assert f'width="{3 * n}" height="{3 * n}"' in svg
    pixels = png_pixels(png)
    assert len(pixels) == 3 * n and len(pixels[0]) == 3 * n
    for y in range(3 * n):
        for x in range(3 * n):
            assert pixels[y][x] == 1 - modules[y // 3][x // 3]
    # The quiet zone is light all round.
    assert not any(modules[0]) and not any(modules[3]) and not any(row[n - 1] for row in modules)


def test_error_correction_and_options() -> None:
    sizes = [len(svg_modules(kartotek.qr_svg(COMPANY_3_0, level=level))) for level in ("low", "medium", "high")]
    assert sizes[0] <= sizes[1] < sizes[2]
    assert kartotek.qr_svg(COMPANY_3_0.encode()) == kartotek.qr_svg(COMPANY_3_0)
    for keywords, field in [
        ({"module_size": 0}, "module_size"),
        ({"margin": 17}, "margin"),
        ({"level": "best"}, "level"),
    ]:
        with pytest.raises(kartotek.ValidationError) as e:
            kartotek.qr_png("x", **keywords)  # type: ignore[arg-type]
        assert e.value.field == field
    with pytest.raises(kartotek.ValidationError, match="at most 2331") as e:
        kartotek.qr_svg("x" * 2332)
    assert e.value.field == "text"
    with pytest.raises(kartotek.ValidationError) as e:
        kartotek.qr_png("")
    assert e.value.field == "text"


def test_qr_codes_can_be_drawn_from_several_threads() -> None:
    expected = kartotek.qr_png(COMPANY_4_0)
    results: List[bytes] = []

    def draw() -> None:
        for _ in range(5):
            results.append(kartotek.qr_png(COMPANY_4_0))

    threads = [threading.Thread(target=draw) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 20
