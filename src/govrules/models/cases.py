"""事项, 会议, 公文 and 问责事件: the inputs of govrules, as in shared/design/interchange.md."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, Self

from pydantic import AliasChoices, Field, StrictBool, StrictInt, StringConstraints, model_validator

from govrules.models.base import CaseModel, zh
from govrules.models.categories import (
    ApprovalValue,
    ConvenerValue,
    DecisionProcedureValue,
    DocumentCategoryValue,
    DocumentKindValue,
    EventKindValue,
    HeaderValue,
    IssuerValue,
    MeetingFormatValue,
    MeetingKindValue,
    SourceValue,
    UrgencyValue,
)
from govrules.models.dates import IsoDate

Id = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
# 1 MB of text is far beyond any 公文; more is an input error, not a document.
Text = Annotated[str, StringConstraints(max_length=1_000_000)]


def _not_before(later: date | None, earlier: date, later_name: str, earlier_name: str) -> None:
    if later is not None and later < earlier:
        raise ValueError(f"{later_name} {later} is before {earlier_name} {earlier}")


class Extension(CaseModel):
    """延期: a request to extend the deadline (济南 第十八条: it must come before the deadline)."""

    requested_on: IsoDate = zh("申请日期")
    new_deadline: IsoDate = zh("延长至", "新时限")
    approved: StrictBool = zh("批准", "已批准", default=False)


class Matter(CaseModel):
    """督查事项: a supervised matter and how it was handled."""

    type: Literal["matter"] = Field(validation_alias=AliasChoices("type", "类型"))
    id: Id = zh("编号")
    source: SourceValue = zh("事项来源")
    assigned_on: IsoDate = zh("交办日期")
    explicit_deadline: IsoDate | None = zh("明确时限", default=None)
    urgency: UrgencyValue = zh("紧急程度", default="一般")
    complex: StrictBool = zh("情况复杂", "情况复杂、涉及面广", default=False)
    needs_consultation: StrictBool = zh("需征求相关部门意见", default=False)
    lead_unit: Name = zh("主办单位")
    co_units: tuple[Name, ...] = zh("协办单位", default=())
    responsible: Name | None = zh("责任人", default=None)
    completed_on: IsoDate | None = zh("办结日期", default=None)
    extension: Extension | None = zh("延期", default=None)
    reports: tuple[IsoDate, ...] = zh("进展报告", default=())

    @model_validator(mode="after")
    def _dates_in_order(self) -> Self:
        _not_before(self.completed_on, self.assigned_on, "completed_on", "assigned_on")
        _not_before(self.explicit_deadline, self.assigned_on, "explicit_deadline", "assigned_on")
        if self.extension is not None:
            ext = self.extension
            _not_before(ext.requested_on, self.assigned_on, "extension.requested_on", "assigned_on")
            _not_before(ext.new_deadline, ext.requested_on, "extension.new_deadline", "extension.requested_on")
        for i, report in enumerate(self.reports):
            _not_before(report, self.assigned_on, f"reports[{i}]", "assigned_on")
        return self


class Meeting(CaseModel):
    """会议."""

    type: Literal["meeting"] = Field(validation_alias=AliasChoices("type", "类型"))
    id: Id = zh("编号")
    kind: MeetingKindValue = zh("会议类型")
    held_on: IsoDate = zh("召开日期", "会议日期")
    convened_by: ConvenerValue | None = zh("召集人", default=None)
    in_name_of_city_government: StrictBool = zh("以市政府名义", default=False)
    attendees: Annotated[StrictInt, Field(ge=0, le=1_000_000)] | None = zh("参会人数", default=None)
    format: MeetingFormatValue = zh("形式", "会议形式", default="现场")
    approvals: tuple[ApprovalValue, ...] = zh("审批", default=())
    invites_county_heads: StrictBool = zh("邀请县区长参加", default=False)
    organizer: Name | None = zh("主办单位", default=None)
    # beyond interchange.md, for the packs of issue 3 (see docs/interchange.md)
    minutes_comment_requested_on: IsoDate | None = zh("纪要征求意见日期", default=None)
    minutes_feedback_on: IsoDate | None = zh("纪要反馈日期", default=None)
    absent_without_reason: tuple[Name, ...] = zh("无正当理由缺席单位", default=())
    major_decision: StrictBool = zh("重大决策", default=False)
    decision_procedures: tuple[DecisionProcedureValue, ...] = zh("决策程序", default=())

    @model_validator(mode="after")
    def _minutes_in_order(self) -> Self:
        if self.minutes_comment_requested_on is not None:
            _not_before(self.minutes_comment_requested_on, self.held_on, "minutes_comment_requested_on", "held_on")
            _not_before(self.minutes_feedback_on, self.minutes_comment_requested_on, "minutes_feedback_on", "minutes_comment_requested_on")
        elif self.minutes_feedback_on is not None:
            raise ValueError("minutes_feedback_on is given without minutes_comment_requested_on")
        return self


class Document(CaseModel):
    """公文."""

    type: Literal["document"] = Field(validation_alias=AliasChoices("type", "类型"))
    id: Id = zh("编号")
    kind: DocumentKindValue = zh("文种")
    category: DocumentCategoryValue = zh("类别", default="其他")
    issuer: IssuerValue = zh("发文机关")
    external: StrictBool = zh("对外正式行文", default=False)
    header: HeaderValue | None = zh("版头", default=None)
    text: Text | None = zh("正文", default=None)
    char_count: Annotated[StrictInt, Field(ge=0, le=10_000_000)] | None = zh("字数", default=None)
    issued_on: IsoDate = zh("发文日期")
    # beyond interchange.md, for 盘锦 二 (see docs/interchange.md)
    to_party_committee: StrictBool = zh("报送市委", default=False)
    approvals: tuple[ApprovalValue, ...] = zh("审批", default=())


class Event(CaseModel):
    """问责事件: the input of accountability."""

    type: Literal["event"] = Field(validation_alias=AliasChoices("type", "类型"))
    id: Id = zh("编号")
    unit: Name = zh("责任单位")
    on: IsoDate = zh("日期")
    kind: EventKindValue = zh("事件类型")
    matter: Id | None = zh("事项", default=None)


Case = Matter | Meeting | Document
CASE_TYPES: dict[str, type[CaseModel]] = {
    "matter": Matter,
    "meeting": Meeting,
    "document": Document,
    "event": Event,
}
# The Chinese names of the object types, accepted for `type` too.
# The Chinese names of the object types, in messages: one for each type.
TYPE_NAMES = ("事项", "会议", "公文", "事件")
TYPE_ALIASES = {"事项": "matter", "督查事项": "matter", "会议": "meeting", "公文": "document", "事件": "event", "问责事件": "event",
                # in traditional characters, accepted as every category value is (市領導批示 = 市领导批示)
                "事項": "matter", "督查事項": "matter", "會議": "meeting", "問責事件": "event"}
