"""The derived columns a diary day stores are exactly rules.diary's one list."""

from __future__ import annotations

from django.db import models

from cadence.diary.models import DiaryDay
from cadence.rules.diary import DERIVED_COLUMNS


def test_the_model_stores_one_boolean_column_per_derived_column():
    stored = [f.name for f in DiaryDay._meta.get_fields() if f.name.startswith("is_")]
    assert stored == list(DERIVED_COLUMNS)
    for name in DERIVED_COLUMNS:
        assert isinstance(DiaryDay._meta.get_field(name), models.BooleanField)
