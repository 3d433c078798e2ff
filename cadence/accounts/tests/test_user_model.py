"""The user record: a patient login belongs to a patient."""

import pytest

from cadence.accounts.models import User

pytestmark = pytest.mark.django_db


def test_patient_user_must_have_a_patient_record(db):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="orphan", role="patient")
