"""What every case model shares: strict JSON types, English keys with Chinese aliases."""

from __future__ import annotations

from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field


class CaseModel(BaseModel):
    # Unknown keys are errors. Bools and counts are Strict* types in the models, so "12" is not
    # an attendee count and "yes" is not a bool; dates have their own ISO-only type.
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def zh(*names_zh: str, **kwargs: Any) -> Any:
    """A field that also accepts its Chinese name(s) as input keys (the English key always works)."""
    return Field(validation_alias=AliasChoices(*names_zh), description=names_zh[0], **kwargs)
