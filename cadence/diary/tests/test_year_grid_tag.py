"""`{% year_grid %}` writes exactly the markup of the template loop it replaced (issue 20:
the loop cost the patient page about 50 ms a view)."""

from __future__ import annotations

from datetime import date, timedelta

from django.template import Context, Template

from cadence.diary.selectors import YearCell, YearView
from cadence.diary.templatetags.year_grid import year_grid

THE_LOOP = Template(
    '{% for week in year.weeks %}{% for cell in week %}<span class="year-cell y-{{ cell.kind }}'
    '{% if cell.session %} y-session{% endif %}"{% if cell.on %} data-date="'
    "{{ cell.on|date:'Y-m-d' }}\" title=\"{{ cell.on|date:'D j M Y' }}: {% if cell.kind == "
    "'none' %}not recorded{% elif cell.kind == 'clear' %}no headache{% else %}{{ cell.kind }}"
    ' day{% endif %}{% if cell.session %}, treatment session{% endif %}"{% endif %}></span>'
    "{% endfor %}{% endfor %}"
)


def a_year() -> YearView:
    start = date(2025, 12, 3)  # a Wednesday: two padding cells first
    kinds = ["none", "clear", "headache", "migraine"]
    cells = [YearCell(None, "pad", False)] * start.weekday()
    for n in range(365):
        on = start + timedelta(days=n)
        cells.append(YearCell(on, kinds[n % 4], n % 84 == 5))
    weeks = [cells[i : i + 7] for i in range(0, len(cells), 7)]
    return YearView(weeks, 0, 0, [], [], start, start + timedelta(days=364))


def test_the_tag_writes_what_the_loop_wrote():
    year = a_year()
    expected = THE_LOOP.render(Context({"year": year}))
    assert str(year_grid(year)) == expected
    assert expected.count("<span") == sum(len(week) for week in year.weeks)
    assert 'title="Thu 4 Dec 2025: no headache"' in expected  # the check is not vacuous
    assert "treatment session" in expected and "y-pad" in expected
