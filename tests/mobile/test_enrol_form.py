"""QA of issue 14 (L3, M6): what the enrol screen checks before calling the server."""

from __future__ import annotations

import pytest

from mobile.i18n import tr
from mobile.messages import call_failure_text
from mobile.services.enrol_form import device_name_problem, server_address


@pytest.mark.parametrize("typed, used", [("192.168.1.10:8000", "http://192.168.1.10:8000"),
                                         (" fieldsync.local ", "http://fieldsync.local"),
                                         ("http://10.0.0.2:8000", "http://10.0.0.2:8000"),
                                         ("https://sync.example.com", "https://sync.example.com"),
                                         ("http://", ""), ("", ""),
                                         # typed through a Chinese input method (QA of issue 14 re-check)
                                         ("ｈｔｔｐ：／／１９２．１６８．１．１０：８０００", "http://192.168.1.10:8000"),
                                         ("192.168.1.10：8000", "http://192.168.1.10:8000"),
                                         ("192。168。1。10:8000", "http://192.168.1.10:8000")])
def test_qa14_l3_a_server_address_without_a_scheme_gets_http(typed, used):
    assert server_address(typed) == used


def test_qa14_l3_a_device_name_over_the_servers_limit_is_said_too_long_with_the_limit():
    key, values = device_name_problem("前台" * 75)
    assert tr(key, "zh", **values) == "设备名称太长：最多 100 个字，现在有 150 个字，请改短。"
    assert "it has 150 characters, the limit is 100" in tr(key, "en", **values)
    assert device_name_problem("前" * 100) is None


def test_qa14_m6_a_device_name_turning_text_around_is_named_on_the_tablet_and_from_the_server():
    key, values = device_name_problem("\u202e前台五号")
    assert "（U+202E）" in tr(key, "zh", **values) and "(U+202E)" in tr(key, "en", **values)
    assert device_name_problem("前台五号 🙂") is None
    said = call_failure_text("invalid_device_name", 422, "The device name holds …", "zh")
    assert said.startswith("设备名称里有看不见或改变文字方向的字符") and "填写不完整" not in said
