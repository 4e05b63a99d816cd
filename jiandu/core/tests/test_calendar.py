import datetime as dt

import pytest

from jiandu.core.calendar import add_months, add_working_days, is_working_day, working_days_between


def test_fifteen_working_days_across_national_day_2026():
    deadline = add_working_days(dt.date(2026, 9, 30), 15)
    assert deadline.due == dt.date(2026, 10, 27)
    assert dt.date(2026, 10, 10) in deadline.adjusted_workdays  # the adjusted working Saturday counts
    assert dt.date(2026, 10, 1) in deadline.skipped_holidays and dt.date(2026, 10, 7) in deadline.skipped_holidays
    text = deadline.explain()
    assert "2026-09-30" in text and "10-01…10-07" in text and "10-10" in text and "2026-10-27" in text


def test_adjusted_saturday_is_a_working_day_and_holiday_is_not():
    assert is_working_day(dt.date(2026, 10, 10))  # Saturday, adjusted
    assert not is_working_day(dt.date(2026, 10, 5))  # Monday inside the holiday
    assert not is_working_day(dt.date(2026, 11, 28))  # ordinary Saturday
    assert is_working_day(dt.date(2026, 11, 27))


def test_zero_days_is_the_start_and_negative_is_refused():
    assert add_working_days(dt.date(2026, 11, 26), 0).due == dt.date(2026, 11, 26)
    with pytest.raises(ValueError):
        add_working_days(dt.date(2026, 11, 26), -1)


def test_five_working_days_from_a_friday():
    assert add_working_days(dt.date(2026, 11, 20), 5).due == dt.date(2026, 11, 27)


def test_working_days_between_and_overdue_boundaries():
    deadline = add_working_days(dt.date(2026, 9, 30), 15)
    assert deadline.working_days_left(dt.date(2026, 10, 26)) == 1  # the day before
    assert deadline.working_days_left(dt.date(2026, 10, 27)) == 0  # the day of
    assert not deadline.is_overdue(dt.date(2026, 10, 27))
    assert deadline.is_overdue(dt.date(2026, 10, 28))  # the day after
    assert deadline.working_days_left(dt.date(2026, 10, 28)) == -1
    assert working_days_between(dt.date(2026, 9, 30), dt.date(2026, 10, 9)) == 2


def test_years_without_official_data_fall_back_to_weekdays_and_say_so():
    deadline = add_working_days(dt.date(2031, 3, 6), 1)  # Thursday
    assert deadline.due == dt.date(2031, 3, 7)
    assert deadline.uncovered_years == [2031]
    assert "2031" in deadline.explain()


def test_add_months_clamps_month_end():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 3, 15), 18) == dt.date(2027, 9, 15)


def test_every_holiday_name_is_translated_and_chinese_text_has_no_english():
    import re

    import chinese_calendar
    from django.utils import translation

    from jiandu.core.calendar import HOLIDAY_NAMES

    assert {h.value for h in chinese_calendar.Holiday} <= set(HOLIDAY_NAMES)
    with translation.override("zh-hans"):
        for name in HOLIDAY_NAMES.values():
            assert not re.search(r"[A-Za-z]", str(name)), name
        # 2026: 中秋节 on 25 September, 国庆节 1–7 October (State Council notice).
        text = add_working_days(dt.date(2026, 9, 24), 10).explain()
        assert "中秋节" in text and "国庆节" in text, text
        assert not re.search(r"[A-Za-z]", text), text
    with translation.override("en"):
        assert "(Mid-autumn Festival)" in add_working_days(dt.date(2026, 9, 24), 10).explain()
