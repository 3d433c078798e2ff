import pytest

from cadence.rules.aftercare import (
    aftercare_instructions,
    aftercare_lines_to_show,
    aftercare_text,
    expected_course,
)
from cadence.rules.side_effects import URGENT_ADVICE_LINES

OLD_URGENT_LINE = (
    "Call the clinic at once if you have difficulty swallowing, speaking or breathing, "
    "new weakness, or double vision."
)


def test_aftercare_says_upright_for_about_4_hours_and_no_exercise():
    text = aftercare_text()
    assert "about 4 hours" in text
    assert "Do not exercise for the rest of the day" in text
    assert len(aftercare_instructions()) == 3


def test_aftercare_leaves_the_urgent_advice_to_the_one_wording():
    """No second wording of the urgent advice in the stored aftercare."""
    text = aftercare_text().lower()
    assert "swallow" not in text
    assert "emergency" not in text
    assert not set(URGENT_ADVICE_LINES) & set(aftercare_instructions())


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        pytest.param(aftercare_text(), aftercare_instructions(), id="current"),
        pytest.param(
            aftercare_text() + "\n" + OLD_URGENT_LINE, aftercare_instructions(), id="older-note"
        ),
        pytest.param("Ice pack.\n\n  \nRest.", ["Ice pack.", "Rest."], id="edited"),
        pytest.param("", [], id="empty"),
    ],
)
def test_lines_to_show_drop_blanks_and_the_superseded_urgent_line(stored, shown):
    assert aftercare_lines_to_show(stored) == shown


def test_expected_course_gives_onset_peak_and_duration():
    text = " ".join(expected_course())
    assert "5 to 7 days" in text
    assert "week 6" in text
    assert "12 weeks" in text
