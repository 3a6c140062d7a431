"""What a caller may choose for a run; everything else comes from the pack."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from govrules.calendar import WorkCalendar


@dataclass(frozen=True)
class Options:
    """What a caller may choose for a run: warning window, interpretations, opt-in outside the
    time in force, and the working-day calendar (built-in, with supplied years, or provisional)."""

    # due_soon (临期) when this many working days or fewer remain before the deadline
    warning_workdays: int = 3
    # interpretation id -> option id, overriding the pack's chosen readings
    interpretations: Mapping[str, str] = field(default_factory=dict)
    # apply a pack to cases outside its time in force (findings marked in_force: false)
    allow_not_in_force: bool = False
    # None: chinese-calendar's data; pass WorkCalendar.default().provisional() or .with_year_file()
    calendar: WorkCalendar | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.warning_workdays <= 60:
            raise ValueError(f"warning_workdays must be 0..60, got {self.warning_workdays}")

    def work_calendar(self) -> WorkCalendar:
        return self.calendar if self.calendar is not None else WorkCalendar.default()


DEFAULT = Options()
