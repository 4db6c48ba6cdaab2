"""QA6 M6: the date picker's 今天 was the device's date (``date.today()``): at 06:xx Beijing on
12-02 a tablet whose zone is UTC offered 12-01. It is the site's day now."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from mobile.pickers import site_today


def test_qa6_m6_the_pickers_today_is_the_sites_day_not_the_devices():
    early_beijing = datetime(2026, 12, 1, 22, 5, tzinfo=UTC)  # 06:05 on 12-02 in Beijing
    assert site_today({"utc_offset_minutes": 480}, early_beijing) == date(2026, 12, 2)
    assert site_today(None, early_beijing) == date(2026, 12, 2)  # Beijing until the site is pulled
    assert site_today({"utc_offset_minutes": -300}, early_beijing) == date(2026, 12, 1)
    device_local = early_beijing.astimezone(timezone(timedelta(hours=-8)))  # the device's own zone is not used
    assert site_today({"utc_offset_minutes": 480}, device_local) == date(2026, 12, 2)
