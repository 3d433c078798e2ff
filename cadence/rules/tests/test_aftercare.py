from cadence.rules.aftercare import aftercare_instructions, aftercare_text, expected_course


def test_aftercare_says_upright_for_about_4_hours_and_no_exercise():
    text = aftercare_text()
    assert "about 4 hours" in text
    assert "Do not exercise for the rest of the day" in text
    assert len(aftercare_instructions()) == 4


def test_expected_course_gives_onset_peak_and_duration():
    text = " ".join(expected_course())
    assert "5 to 7 days" in text
    assert "week 6" in text
    assert "12 weeks" in text
