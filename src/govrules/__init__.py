"""govrules: Chinese municipal government efficiency regulations as executable, cited rule packs.

The public surface: load a pack, parse cases, evaluate them and their accountability.
"""

from govrules.calendar import WorkCalendar
from govrules.engine import (
    CompiledPack, Evaluation, Finding, Options, UnitAccountability, accountability, compile_pack,
    evaluate, evaluate_all,
)
from govrules.errors import GovrulesError, HolidayDataMissing, InputError, NotInForce, PackError
from govrules.models import Document, Event, Matter, Meeting, load_objects, parse_object, parse_objects
from govrules.packs import Pack, bundled_ids, bundled_pack, get_pack, load_pack

__version__ = "0.1.0"

__all__ = [
    "CompiledPack", "Document", "Evaluation", "Event", "Finding", "GovrulesError",
    "HolidayDataMissing", "InputError", "Matter", "Meeting", "NotInForce", "Options", "Pack",
    "PackError", "UnitAccountability", "WorkCalendar", "accountability", "bundled_ids",
    "bundled_pack", "compile_pack", "evaluate", "evaluate_all", "get_pack", "load_objects",
    "load_pack", "parse_object", "parse_objects",
]
