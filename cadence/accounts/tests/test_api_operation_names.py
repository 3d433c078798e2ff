"""Every API operation is named `<entity>_<action>`, and that name is its operationId."""

import re

import pytest

pytestmark = pytest.mark.django_db

NAME = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")


def operation_ids(client) -> list[str]:
    document = client.get("/api/v1/openapi.json").json()
    return [
        operation["operationId"]
        for item in document["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
    ]


def test_every_operation_id_is_an_entity_and_an_action(client):
    ids = operation_ids(client)
    assert ids
    assert [name for name in ids if not NAME.match(name) or name.startswith("cadence_")] == []


def test_no_two_operations_share_a_name(client):
    ids = operation_ids(client)
    assert len(ids) == len(set(ids))
