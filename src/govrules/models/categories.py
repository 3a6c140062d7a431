"""Category values (事项来源, 会议类型, 文种 …) exactly as officials write them.

Values are Chinese because they are the domain's words; input in traditional characters is
normalised to simplified before it is checked (市領導批示 = 市领导批示).
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Annotated, Literal, get_args

from pydantic import BeforeValidator

MatterSource = Literal[
    "上级批示", "上级督查", "全体会议", "常务会议", "专题会议", "现场办公会议", "政府工作报告",
    "重要文件", "重点项目", "市领导批示", "人大代表建议", "政协提案", "来文", "交办",
    # beyond interchange.md, for the packs of issue 3: a 工作计划 item (盘锦 五、六) and a
    # 突发事件 a city leader follows (提高效率抓落实意见 (十一))
    "工作计划", "突发事件",
]
Urgency = Literal["一般", "紧急", "特急"]
MeetingKind = Literal[
    "全市综合性会议", "全市性工作会议", "全体会议", "常务会议", "市长办公会议", "专题会议",
    "现场办公会议", "部门会议", "电视电话会议", "表彰会", "研讨会", "纪念会", "经验交流会",
    "联谊会", "片会",
]
Convener = Literal["市长", "副市长", "市政府", "部门"]
MeetingFormat = Literal["现场", "视频"]
Approval = Literal[
    "常务会议同意", "市长办公会议同意", "分管领导批准", "市长批准", "纳入年度计划", "纳入季度计划", "备案",
]
# 盘锦 十: what a major decision goes through before the collective decision
DecisionProcedure = Literal["公众参与", "专家论证", "风险评估", "合法性审查"]
# The 15 文种 of 《党政机关公文处理工作条例》 第八条.
DocumentKind = Literal[
    "决议", "决定", "命令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复",
    "议案", "函", "纪要",
]
DocumentCategory = Literal["普发类文件", "领导讲话", "其他"]
Issuer = Literal["市政府", "市政府办公室", "部门", "部门办公室", "部门内设机构"]
Header = Literal["红头", "白头"]
EventKind = Literal["逾期未报结", "通报批评", "整改不力", "约谈", "约谈无效果", "弄虚作假", "严重后果"]


@cache
def _t2s() -> object:
    import opencc  # imported lazily: its dictionaries cost start-up time

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=4096)
def _simplified(text: str) -> str:
    # category values are a few dozen words: converting each once saves OpenCC a call per field
    return str(_t2s().convert(text))  # type: ignore[attr-defined]


def to_simplified(value: object) -> object:
    """Traditional -> simplified for strings; anything else is left for the type check."""
    if isinstance(value, str) and value:
        return _simplified(value)
    return value


def allowed_values(literal: object) -> tuple[str, ...]:
    return tuple(get_args(literal))


_Simplified = BeforeValidator(to_simplified)
# The field types: each category also accepts its values in traditional characters.
SourceValue = Annotated[MatterSource, _Simplified]
UrgencyValue = Annotated[Urgency, _Simplified]
MeetingKindValue = Annotated[MeetingKind, _Simplified]
ConvenerValue = Annotated[Convener, _Simplified]
MeetingFormatValue = Annotated[MeetingFormat, _Simplified]
ApprovalValue = Annotated[Approval, _Simplified]
DocumentKindValue = Annotated[DocumentKind, _Simplified]
DocumentCategoryValue = Annotated[DocumentCategory, _Simplified]
IssuerValue = Annotated[Issuer, _Simplified]
HeaderValue = Annotated[Header, _Simplified]
EventKindValue = Annotated[EventKind, _Simplified]
DecisionProcedureValue = Annotated[DecisionProcedure, _Simplified]
