"""A payer profile's name is in the clinic's words, never a file name (rules and DB)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from cadence.patients.models import PayerProfile
from cadence.rules.payer import DEFAULT_PAYER_PROFILE

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "cadence.patients.migrations.0007_payer_profile_name_in_clinic_words"
)


def test_no_profile_is_named_after_a_file():
    assert ".md" not in DEFAULT_PAYER_PROFILE.name
    assert PayerProfile.objects.filter(is_default=True).get().name == "Clinic default"
    assert not PayerProfile.objects.filter(name__contains=".md").exists()


def test_the_data_migration_renames_a_stored_profile():
    PayerProfile.objects.filter(name="Clinic default").update(name=migration.OLD_NAME)
    migration.rename(apps, None)
    assert PayerProfile.objects.filter(name="Clinic default").exists()
    assert not PayerProfile.objects.filter(name=migration.OLD_NAME).exists()
