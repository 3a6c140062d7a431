"""examples/generate_ledger.py loaded as a module, once, for every test that needs a realistic
synthetic ledger (it is a script, not part of the package)."""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[1] / "examples" / "generate_ledger.py"


@cache
def generator() -> ModuleType:
    name = "generate_ledger"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module
