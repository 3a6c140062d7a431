"""The example on docs/stream.md runs and is true (its asserts state what it shows)."""

from __future__ import annotations

import re
from pathlib import Path

PAGE = Path(__file__).resolve().parents[2] / "docs" / "stream.md"


def test_the_python_example_of_the_stream_page_runs() -> None:
    blocks = re.findall(r"^```python\n(.*?)^```", PAGE.read_text(encoding="utf-8"), re.S | re.M)
    assert blocks
    for block in blocks:
        exec(compile(block, str(PAGE), "exec"), {})  # the page's own example
