"""Threads: calls into the register release the GIL, and concurrent readers
and a writer keep the register consistent."""

from __future__ import annotations

import sys
import threading
import time
from typing import Callable, List

import kartotek
from kartotek import Customer, Register


def big_register(n: int) -> tuple[Register, int]:
    reg = Register(clock=kartotek.ManualClock("2026-01-05"))
    admin = reg.create_first_administrator("admin", "Ada")
    for i in range(n):
        reg.create_customer(admin, Customer(number=str(i), name=f"Kund {i:05d} {'Åberg' if i % 3 else 'Östlund'} AB"))
    return reg, admin


def assert_releases_the_gil(search: Callable[[], object]) -> None:
    """The main thread runs while another thread calls `search` five times."""
    in_search = threading.Event()
    done = threading.Event()
    observed: List[int] = []

    def searcher() -> None:
        for _ in range(5):
            in_search.set()
            search()
        done.set()

    old = sys.getswitchinterval()
    # No forced GIL hand-over while the test runs: the main thread runs during
    # a search only if the search itself released the GIL.
    sys.setswitchinterval(30)
    try:
        t = threading.Thread(target=searcher)
        t.start()
        while not done.is_set():
            if in_search.is_set():
                observed.append(1)
            time.sleep(0.0002)  # lets the searcher take the GIL back between searches
        t.join()
    finally:
        sys.setswitchinterval(old)
    assert len(observed) > 0


def test_search_releases_the_gil() -> None:
    reg, admin = big_register(4000)
    # Substring search over every customer, sorted: milliseconds of C++ work.
    assert_releases_the_gil(lambda: reg.search_customers(admin, "berg", sort="number", limit=1000))


def test_activity_search_releases_the_gil() -> None:
    reg, admin = big_register(1)
    for i in range(8000):
        reg.add_task(admin, customer=1, due=f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}", subject=f"Uppgift {i}")
    # Every task, filtered by status and sorted by time: milliseconds of C++ work.
    assert_releases_the_gil(lambda: reg.search_activities(admin, statuses=["open"], descending=True, limit=1))


def test_readers_and_a_writer_in_parallel() -> None:
    reg, admin = big_register(300)
    errors: List[BaseException] = []
    writing = threading.Event()
    writing.set()

    def writer() -> None:
        try:
            for i in range(300):
                cid = reg.create_customer(admin, Customer(number=f"W{i}", name=f"Skriv {i} AB"))
                c = reg.customer(admin, cid)
                c.phone = str(i)
                reg.update_customer(admin, c)
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)
        finally:
            writing.clear()

    def reader() -> None:
        try:
            while writing.is_set():
                page = reg.search_customers(admin, limit=10_000)
                assert page.total == len(page)
                assert all(c.revision >= 1 and c.number for c in page)
                reg.search_customers(admin, "berg", sort="number")
                seqs = [e.sequence for e in reg.history(admin)]
                assert seqs == sorted(seqs)
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=writer)] + [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert reg.counts().customers == 600
