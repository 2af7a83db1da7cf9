"""The Python blocks of the README and docs/*.md, as a reader copies them.

Every ```` ```python ```` block runs on its own. A block preceded by the line
``<!-- example: adapter -->`` needs the ``adapter`` extra; every other block needs only the
core library (``pip install yrkesresan-lti``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
ADAPTER_MARK = "<!-- example: adapter -->"

_BLOCK = re.compile(r"^(?P<mark>[^\n]*)\n```python\n(?P<code>.*?)^```$", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class CodeBlock:
    document: Path
    line: int
    code: str
    needs_adapter: bool

    @property
    def name(self) -> str:
        return f"{self.document.relative_to(REPO)}:{self.line}"


def code_blocks(documents: list[Path] = DOCUMENTS) -> list[CodeBlock]:
    """Every Python block of the documents, in order."""
    blocks = []
    for document in documents:
        text = document.read_text(encoding="utf-8")
        for match in _BLOCK.finditer(text):
            line = text.count("\n", 0, match.start("code")) + 1
            needs_adapter = match.group("mark").strip() == ADAPTER_MARK
            blocks.append(CodeBlock(document, line, match.group("code"), needs_adapter))
    return blocks
