"""Official working days (chinese_calendar) around 国庆 2021 and 春节 2022."""

import datetime as dt

import pytest

from hexie.domain.calendar import add_working_days, CalendarNotCovered, working_days_between


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# 国庆 2021: 10-01 … 10-07 off; Sunday 09-26 and Saturday 10-09 worked (调休).
# 中秋 2021: 09-19 … 09-21 off; Saturday 09-18 worked.
# 春节 2022: 01-31 … 02-06 off; Saturday 01-29 and Sunday 01-30 worked.


@pytest.mark.parametrize(
    "start, end, days",
    [
        ("2021-09-30", "2021-10-08", 1),  # the whole holiday, then Friday
        ("2021-09-30", "2021-10-09", 2),  # make-up Saturday
        ("2021-09-30", "2021-10-10", 2),  # an ordinary Sunday
        ("2021-09-30", "2021-10-11", 3),
        ("2021-09-24", "2021-09-26", 1),  # Saturday off, make-up Sunday on
        ("2021-09-17", "2021-09-22", 2),  # make-up Saturday 09-18, 中秋 off, Wednesday
        ("2022-01-28", "2022-01-30", 2),  # the two make-up days before 春节
        ("2022-01-30", "2022-02-06", 0),  # 春节 itself
        ("2022-01-30", "2022-02-07", 1),
        ("2021-10-08", "2021-10-08", 0),  # nothing after start
        ("2021-10-11", "2021-10-08", 0),  # end before start
    ],
)
def test_working_days_between_counts_after_start_up_to_and_including_end(start, end, days):
    assert working_days_between(d(start), d(end)) == days


@pytest.mark.parametrize(
    "start, n, deadline",
    [
        ("2021-09-30", 0, "2021-09-30"),
        ("2021-09-30", 1, "2021-10-08"),
        ("2021-09-30", 2, "2021-10-09"),  # the make-up Saturday is a working day
        ("2021-09-30", 3, "2021-10-11"),
        ("2021-09-24", 5, "2021-09-30"),  # 09-26 (Sunday, worked) … 09-30
        ("2021-09-17", 2, "2021-09-22"),
        ("2022-01-28", 1, "2022-01-29"),
        ("2022-01-28", 3, "2022-02-07"),  # 01-29, 01-30, then after 春节
        ("2022-01-27", 5, "2022-02-08"),
    ],
)
def test_add_working_days_gives_the_nth_working_day_after_start(start, n, deadline):
    assert add_working_days(d(start), n) == d(deadline)


def test_the_two_agree():
    for offset in range(0, 40):
        start = d("2021-09-15") + dt.timedelta(days=offset)
        for n in (1, 5, 10, 20):
            assert working_days_between(start, add_working_days(start, n)) == n
    start = d("2022-01-20")
    for n in (1, 5, 10):
        assert working_days_between(start, add_working_days(start, n)) == n


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError):
        add_working_days(d("2021-10-01"), -1)


def test_a_year_the_calendar_does_not_cover_is_an_error_not_a_guess():
    with pytest.raises(CalendarNotCovered) as caught:
        working_days_between(d("2099-12-30"), d("2100-01-03"))
    assert caught.value.day.year == 2099 and "2099" in str(caught.value)
    with pytest.raises(CalendarNotCovered):
        add_working_days(d("2099-12-01"), 1)
    assert isinstance(caught.value, ValueError)
