"""Issue 19: the questionnaire change reads as people write it ("+1 point", not "+1 points")."""

import pytest
from django.template import Context, Template

from cadence.diary.templatetags.questionnaire_change import points


@pytest.mark.parametrize(
    ("change", "words"),
    [(1, "+1 point"), (-1, "-1 point"), (2, "+2 points"), (-14, "-14 points"), (0, "0 points")],
)
def test_a_change_in_points_is_written_as_people_write_it(change, words):
    assert points(change) == words


def test_the_filter_is_what_the_pages_use():
    page = Template("{% load questionnaire_change %}{{ n|points }}").render(Context({"n": 1}))
    assert page == "+1 point"
