"""Policy analysis over whole ledgers: city against city, what-if, and pictures.

Needs the ``analysis`` extra (pandas, pyarrow, matplotlib). ``import govrules`` does not import
this package.

* ``compare(cases, packs, as_of)``: the same cases under several packs side by side, with where
  they differ and which clauses make the difference; ``compare_summary`` counts it per pack.
* ``what_if(cases, pack, as_of, rules=..., readings=...)``: a rule's parameter or an
  interpretation changed without editing YAML (``govrules.analysis.variants.vary``), before and after.
* ``govrules.analysis.plots``: deadline calendar, overdue rate by unit by month, city comparison.
"""

from govrules.analysis.compare import compare, compare_summary
from govrules.analysis.whatif import WhatIf, what_if
from govrules.analysis.variants import VariationError, vary

__all__ = ["VariationError", "WhatIf", "compare", "compare_summary", "vary", "what_if"]
