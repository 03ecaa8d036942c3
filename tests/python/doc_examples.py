"""The examples of docs/python.md: each ```python block is a complete script;
a ```text block right after it is what the script prints.

Used by test_docs.py (runs them) and check_types.py (mypy --strict on them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "python.md"

_FENCE = re.compile(r"^```(\w*)\s*$")


@dataclass
class Example:
    line: int  # of the opening fence, 1-based
    code: str
    output: Optional[str]

    @property
    def name(self) -> str:
        return f"python.md:{self.line}"


def examples(path: Path = GUIDE) -> List[Example]:
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: List[tuple[int, str, str]] = []  # (line, language, text)
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if m:
            start, language = i, m.group(1)
            i += 1
            body: List[str] = []
            while i < len(lines) and lines[i].strip() != "```":
                body.append(lines[i])
                i += 1
            blocks.append((start + 1, language, "\n".join(body) + "\n"))
        i += 1
    found: List[Example] = []
    for n, (line, language, text) in enumerate(blocks):
        if language != "python":
            continue
        output = None
        if n + 1 < len(blocks) and blocks[n + 1][1] == "text":
            # The output block must follow the code with nothing but blank lines between.
            between = lines[_end_of(lines, line) : blocks[n + 1][0] - 1]
            if all(not x.strip() for x in between):
                output = blocks[n + 1][2]
        found.append(Example(line, text, output))
    return found


def _end_of(lines: List[str], opening: int) -> int:
    i = opening  # index just after the opening fence
    while lines[i].strip() != "```":
        i += 1
    return i + 1
