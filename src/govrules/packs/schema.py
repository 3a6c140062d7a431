"""The rule-pack format: metadata, clauses, interpretations and rules, as pydantic models.

A pack is data. The loader (loader.py) adds what a model alone cannot check: positions
(file:line:column), duplicate keys and ids, and references between clauses, rules and fields.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from govrules.packs.conditions import Condition

LocalId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9./-]*$", max_length=120)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=10_000)]
Force = Literal["mandatory", "default", "advisory"]
AppliesTo = Literal["matter", "meeting", "document"]
Status = Literal["有效", "已失效", "废止", "未注明"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Clause(Strict):
    """A clause of the source document, quoted exactly."""

    id: LocalId
    citation: Text  # e.g. 济政办发〔2016〕30号 第十六条第（六）项
    text: Text


class Interpretation(Strict):
    """A reading the text leaves open: the one chosen, and the others a caller may switch to."""

    id: LocalId
    question: Text
    chosen: LocalId
    options: dict[LocalId, Text] = Field(min_length=2)
    basis: Text | None = None

    @model_validator(mode="after")
    def _chosen_is_an_option(self) -> Interpretation:
        if self.chosen not in self.options:
            raise ValueError(f"chosen {self.chosen!r} is not one of the options {', '.join(self.options)}")
        return self


class Period(Strict):
    """How long: exactly one of the ways the documents count time (semantics.md)."""

    working_days: Annotated[int, Field(ge=1, le=366)] | None = None
    days: Annotated[int, Field(ge=1, le=3660)] | None = None
    months: Annotated[int, Field(ge=1, le=120)] | None = None
    same_day: Literal[True] | None = None  # 立即 / 即接即办: by the end of the day
    explicit: Literal[True] | None = None  # the 明确时限 given with the case
    # Never ends before this other count from the same start: the later of the two ends is the
    # period's end (an extension never shortens, semantics.md: 提高效率 (七) "可延长至10天" ends no
    # earlier than the 5 working days it extends, whatever a holiday does to 10 calendar days).
    at_least: Period | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Period:
        set_ = [k for k in _UNITS if getattr(self, k) is not None]
        if len(set_) != 1:
            raise ValueError(
                "a period needs exactly one of working_days, days, months, same_day, explicit"
                f" (got {', '.join(set_) or 'none'})"
            )
        floor = self.at_least
        if floor is not None:
            if set_[0] not in _COUNTED:
                raise ValueError(f"at_least goes with working_days, days or months, not with {set_[0]}")
            if floor.unit not in _COUNTED or floor.at_least is not None:
                raise ValueError("at_least is one count of working_days, days or months (without an at_least of its own)")
            if floor.unit == set_[0]:
                raise ValueError(f"at_least in the same unit as the period ({set_[0]}) adds nothing; give the larger count")
        return self

    @property
    def unit(self) -> str:
        return next(k for k in _UNITS if getattr(self, k) is not None)


_UNITS = ("working_days", "days", "months", "same_day", "explicit")
_COUNTED = ("working_days", "days", "months")


class RuleBase(Strict):
    id: LocalId
    clause: LocalId
    # further clauses the same rule carries out (济南 第七条(四)(五): "按照规定时限要求…写出办理落实报告",
    # "确保限时办结", which 第十六条's limits make computable): cited with ``clause``, never alone
    also_cites: list[LocalId] = []
    force: Force
    outcome: Text  # what the clause requires or imposes, in its own words
    exception: Text | None = None  # for force "default": the exception the text names
    interpretations: list[LocalId] = []
    only_under: dict[LocalId, LocalId] = {}  # applies only when these interpretations are chosen
    when: Condition | None = None

    def cites(self) -> tuple[str, ...]:
        """Every clause the rule cites: its own, then ``also_cites``."""
        return (self.clause, *self.also_cites)

    @model_validator(mode="after")
    def _also_cites_others(self) -> RuleBase:
        if len(set(self.cites())) != len(self.cites()):
            raise ValueError("also_cites must name other clauses than `clause`, each once")
        return self

    @model_validator(mode="after")
    def _default_names_exception(self) -> RuleBase:
        if self.force == "default" and not self.exception:
            raise ValueError("a rule of force 'default' (一般/原则上) must name its exception")
        return self


class DeadlineRule(RuleBase):
    """A time limit for a matter; the first deadline rule that applies gives the deadline."""

    kind: Literal["deadline"]
    applies_to: Literal["matter"] = "matter"
    period: Period
    start: Literal["assigned_on"] = "assigned_on"
    satisfied_by: list[Literal["completion", "report"]] = ["completion"]
    extension_cap: Period | None = None  # the furthest an extension may reach, from the same start


class ObligationRule(RuleBase):
    """A recurring report (周报, 季报, 月底报告) owed until the matter is done."""

    kind: Literal["obligation"]
    applies_to: Literal["matter"] = "matter"
    every: Literal["day", "week", "month", "quarter"]
    # quarter: due this many days after the quarter ends (rolled forward), or, if absent, on the
    # quarter's last working day; month: the month's last working day; week: the week's last
    # working day; day: each working day.
    days_after_period_end: Annotated[int, Field(ge=1, le=90)] | None = None
    first_period: Literal["containing", "next"] = "containing"
    # False: the duty lies with someone whose records are not among the inputs (e.g. the 督查室's
    # own monthly supervision): only the next occurrence is reported, never a miss.
    reports_required: bool = True

    @model_validator(mode="after")
    def _due_rule(self) -> ObligationRule:
        if self.days_after_period_end is not None and self.every != "quarter":
            raise ValueError("days_after_period_end is given only for every: quarter")
        return self


class ExtensionRule(RuleBase):
    """How a deadline may be extended: asked before it falls due, and approved."""

    kind: Literal["extension"]
    applies_to: Literal["matter"] = "matter"
    must_precede_deadline: bool = True
    needs_approval: bool = True
    # matters that may be extended at all (e.g. 绍兴: 个别重大事项或情况复杂的事项); others are refused
    allowed_when: Condition | None = None


class LimitRule(RuleBase):
    """A numeric ceiling: 参会人数, 字数."""

    kind: Literal["limit"]
    applies_to: AppliesTo
    measure: Literal["attendees", "chars"]
    max: Annotated[int, Field(ge=0)]


class CheckRule(RuleBase):
    """A requirement or a prohibition: breached when ``breach_when`` holds (and ``when`` does)."""

    kind: Literal["requirement", "prohibition"]
    applies_to: AppliesTo
    breach_when: Condition


class DeemedRule(RuleBase):
    """Silence deemed an answer: after the period from ``start``, unless ``unless`` holds."""

    kind: Literal["deemed"]
    applies_to: AppliesTo
    start: str  # the date field the period runs from
    period: Period
    answered_by: str | None = None  # a date field: an answer on or before the due date prevents it
    unless: Condition | None = None


class QuotaRule(RuleBase):
    """A count over many cases of one group in a calendar year: at most ``max_per_year``, or at
    least ``reduce_by`` (a fraction) fewer than the group's count the year before. Applied by
    evaluate_all over the cases it is given; a single evaluate cannot know the others."""

    kind: Literal["quota"]
    applies_to: AppliesTo
    group_by: str  # a field, e.g. organizer (主办单位) or issuer (发文机关)
    max_per_year: Annotated[int, Field(ge=0)] | None = None
    reduce_by: Annotated[float, Field(gt=0, lt=1)] | None = None

    @model_validator(mode="after")
    def _one_measure(self) -> QuotaRule:
        if (self.max_per_year is None) == (self.reduce_by is None):
            raise ValueError("a quota needs exactly one of max_per_year, reduce_by")
        return self


class Trigger(Strict):
    """Count qualifying events of the unit in the window; at_least reaches the step."""

    kinds: list[str] = Field(min_length=1)
    at_least: Annotated[int, Field(ge=1, le=100)] = 1
    # Count an event only if the unit already had an event of one of these kinds in the window,
    # on an earlier day (济南 第二十条(二) "被通报批评的责任单位,在规定时限内整改措施不力").
    requires_prior: list[str] = []

    @model_validator(mode="after")
    def _prior_is_another_kind(self) -> Trigger:
        both = [k for k in self.requires_prior if k in self.kinds]
        if both:
            raise ValueError(f"requires_prior names {', '.join(both)}, a kind the trigger counts; "
                             "a repeat of the same kind is at_least")
        return self


class LadderStep(Strict):
    level: Annotated[int, Field(ge=1, le=10)]
    outcome: Text
    clause: LocalId
    triggers: list[Trigger] = Field(min_length=1)  # any one suffices
    targets: list[Text] = []  # who the step falls on, e.g. 主要责任人
    copied_to: list[Text] = []  # where it is reported, e.g. 市委组织部


class LadderRule(Strict):
    """An accountability ladder: the highest step a unit has reached as of a date."""

    id: LocalId
    kind: Literal["ladder"]
    clause: LocalId
    force: Force
    outcome: Text
    window: Literal["calendar_year", "cumulative"]
    interpretations: list[LocalId] = []
    only_under: dict[LocalId, LocalId] = {}
    steps: list[LadderStep] = Field(min_length=1)

    def cites(self) -> tuple[str, ...]:
        """Every clause the ladder cites: its own, then its steps' (each once)."""
        return tuple(dict.fromkeys((self.clause, *(s.clause for s in self.steps))))

    @model_validator(mode="after")
    def _levels_ascend(self) -> LadderRule:
        levels = [s.level for s in self.steps]
        if levels != list(range(1, len(levels) + 1)):
            raise ValueError(f"steps must have levels 1, 2, 3 … in order (got {levels})")
        return self


Rule = Annotated[
    Union[DeadlineRule, ObligationRule, ExtensionRule, LimitRule, CheckRule, DeemedRule, QuotaRule, LadderRule],
    Field(discriminator="kind"),
]


class Validity(Strict):
    """The document's time in force. ``ended`` is None when it has not ended or is unknown."""

    status: Status
    in_force_from: date | None  # None: the source gives no date, so no day is known to be in force
    ended: date | None = None  # first day no longer in force
    end_known: bool
    note: Text

    @model_validator(mode="after")
    def _consistent(self) -> Validity:
        if self.ended is not None and not self.end_known:
            raise ValueError("ended is given, so end_known must be true")
        if self.ended is not None and self.in_force_from is not None and self.ended <= self.in_force_from:
            raise ValueError("ended must be after in_force_from")
        if self.status == "有效" and self.ended is not None:
            raise ValueError("a pack of status 有效 has no end date")
        return self


class NotEncoded(Strict):
    """A clause govrules leaves to people, and why."""

    clause: LocalId
    reason: Text


class Pack(Strict):
    """One document as a rule pack: metadata and validity, clauses quoted exactly, the readings
    chosen where the text is open, the rules, and the clauses left to people with their reasons."""

    id: LocalId
    title: Text
    doc_number: Text | None  # 发文字号; None where the source gives none
    issuer: Text | None  # None where the source does not say
    issued: date | None
    source_file: Text  # the document the clauses are quoted from, relative to the pack file (registry.source_path)
    validity: Validity
    char_count_mode: Literal["word_processor", "non_whitespace"] = "word_processor"
    clauses: list[Clause] = Field(min_length=1)
    interpretations: list[Interpretation] = []
    rules: list[Rule]  # may be empty: a pack (e.g. a fresh scaffold) may encode nothing yet
    not_encoded: list[NotEncoded] = []

    def _repr_html_(self) -> str:
        from govrules.display import pack_html  # notebooks only: keep importing packs light

        return pack_html(self)
