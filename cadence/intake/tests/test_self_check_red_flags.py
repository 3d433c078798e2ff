"""Red flags at the public self-check (issue 15; clinic-reference.md section 7): any red
flag answers with a calm page advising urgent medical assessment now, before any word
about the treatment, and nothing that suggests booking (no request form or button, no
link to ask for a consultation)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cadence.rules.self_check import RED_FLAG_HEADLINE, RED_FLAG_QUESTIONS, RedFlag

pytestmark = pytest.mark.django_db

LIKELY = {
    "age": "41",
    "headache_days_per_month": "20",
    "months_with_pattern": "14",
    "migraine_feature_days": "11",
    "preventive_classes_tried": "2",
}


def _no_booking(page: str) -> None:
    assert reverse("intake:consultation") not in page
    assert "Ask for a consultation" not in page
    assert 'name="self_check"' not in page
    lowered = page.lower()
    for word in ("botox", "botulinum", "book"):
        assert word not in lowered, word


@pytest.mark.parametrize("flag", [flag.value for flag in RedFlag])
def test_any_red_flag_gives_the_urgent_advice_page_and_no_way_to_book(client, flag):
    response = client.post(reverse("intake:self-check"), {**LIKELY, "red_flags": [flag]})
    page = response.content.decode()
    assert response.status_code == 200
    assert f">{RED_FLAG_HEADLINE}</h1>" in page
    assert RED_FLAG_QUESTIONS[RedFlag(flag)] in page
    assert "emergency" in page
    _no_booking(page)


def test_an_age_and_a_recent_start_after_50_is_a_red_flag_without_ticking(client):
    response = client.post(
        reverse("intake:self-check"), {**LIKELY, "age": "63", "months_with_pattern": "5"}
    )
    page = response.content.decode()
    assert RED_FLAG_HEADLINE in page
    assert RED_FLAG_QUESTIONS[RedFlag.new_after_50] in page
    _no_booking(page)


def test_without_a_red_flag_the_usual_answer_and_its_button(client):
    page = client.post(reverse("intake:self-check"), LIKELY).content.decode()
    assert "likely to be worthwhile" in page
    assert "Ask for a consultation" in page
    assert RED_FLAG_HEADLINE not in page


def test_the_form_asks_age_and_every_red_flag_question(client):
    page = client.get(reverse("intake:self-check")).content.decode()
    assert "How old are you?" in page
    for question in RED_FLAG_QUESTIONS.values():
        assert question in page


def test_age_is_required(client):
    body = {key: value for key, value in LIKELY.items() if key != "age"}
    page = client.post(reverse("intake:self-check"), body).content.decode()
    assert "Enter your age in years." in page
