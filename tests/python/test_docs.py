"""Every example of docs/python.md runs and prints what the guide shows."""

from __future__ import annotations

import doctest
import sys

import pytest

import kartotek
from doc_examples import Example, examples

EXAMPLES = examples()


def test_the_guide_has_examples() -> None:
    assert len(EXAMPLES) >= 10
    assert sum(e.output is not None for e in EXAMPLES) >= 10


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_example_runs_and_prints_what_the_guide_shows(example: Example, capsys: pytest.CaptureFixture[str]) -> None:
    code = compile(example.code, f"docs/{example.name}", "exec")
    exec(code, {"__name__": "__main__"})
    printed = capsys.readouterr().out
    if example.output is not None:
        assert printed == example.output


def test_docstring_examples_of_the_package() -> None:
    result = doctest.testmod(sys.modules["kartotek"], optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
    result = doctest.testmod(sys.modules["kartotek.commands"], optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
