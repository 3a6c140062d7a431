"""The Chinese names of the answers' statuses: a glossary, not sentences (those are built in
semantics/wording.py, which uses these names). It imports nothing, so that everything that shows
a status can use it: the semantics' messages, the CLI's tables, the analysis plots, and the
notebook HTML of govrules.display, which semantics/results.py imports and which must therefore
import nothing of semantics. semantics/results.py re-exports STATUS_ZH for its users."""

from __future__ import annotations

STATUS_ZH = {"on_track": "办理中", "due_soon": "临期", "overdue": "逾期", "done": "按期办结", "done_late": "逾期办结",
             "replied": "已回复进展,待办结", "unknown": "未知(缺少节假日数据)"}
