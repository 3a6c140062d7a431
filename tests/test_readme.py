"""The README's Python example runs and says what the README says it says."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_python_example_runs() -> None:
    text = README.read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", text, re.S)
    assert code is not None
    namespace: dict[str, object] = {}
    exec(compile(code.group(1), "README.md", "exec"), namespace)  # the README's own example, not pack data
    result = namespace["result"]
    assert str(result.deadline) == "2026-05-08"  # type: ignore[attr-defined]
    assert result.status == "overdue"  # type: ignore[attr-defined]
    assert result.findings[0].citation == "济政办发〔2016〕30号 第十六条第（六）项、第七条第（四）项、第七条第（五）项"  # type: ignore[attr-defined]


def test_readme_names_exactly_two_setup_commands_and_ci_runs_the_test_one() -> None:
    text = README.read_text(encoding="utf-8")
    block = text.split("## Set-up: two commands", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make demo", "make test"]
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "\nmake test" in ci
