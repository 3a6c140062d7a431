"""The meanings of the regulations, each stated once: which rule applies, period arithmetic, status,
extension, recurring reports, force, validity, ladders and their wording.

Every executor calls these: the reference evaluator (``govrules.engine``) one case at a time, the
ledger path (``govrules.batch``) over whole columns, the supervision stream (``govrules.stream``)
event by event. Where a meaning is a decision (status, extension, rule selection) it is written
once over ``semantics.ops``, whose scalar face takes one case's values and whose vector face takes
columns. docs/architecture.md names the home of each meaning.
"""
