"""The rule engine: compile a pack once, then evaluate cases and accountability against it."""

from govrules.engine.accountability import accountability
from govrules.semantics.compiled import CompiledPack, compile_pack
from govrules.engine.evaluate import evaluate, evaluate_all
from govrules.engine.options import Options
from govrules.semantics.results import Evaluation, Finding, UnitAccountability, results_json

__all__ = [
    "CompiledPack", "Evaluation", "Finding", "Options", "UnitAccountability",
    "accountability", "compile_pack", "evaluate", "evaluate_all", "results_json",
]
