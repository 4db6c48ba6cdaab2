"""The console sweep of 2026-12-03 (QA, a manager in Chromium): what a reader of English saw
in Chinese, and what the pages said about their own totals."""

from __future__ import annotations

import csv
import io
import re

import pytest

from tests.console.conftest import requests_session
from tests.console.seed import now_cst


@pytest.mark.parametrize(("lang", "expected"), [("en", ["Very good", "Good", "Known"]), ("zh", ["优良", "良好", "知名"])])
def test_qa14_visit_ratings_read_in_the_readers_language_on_the_customer_page_and_in_the_export(server, day, lang,
                                                                                                expected):
    session = requests_session(server, lang=lang)
    today = now_cst().date().isoformat()
    raw = session.get(server.base_url + "/console/exports/download", timeout=30,
                      params={"kind": "visits", "format": "csv", "start": today, "end": today}).content
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    heading = rows[0]
    columns = [heading.index(name) for name in (("Quality", "Service", "Awareness") if lang == "en"
                                                 else ("质量", "服务", "知名度"))]
    assert [[row[i] for i in columns] for row in rows[1:]] == [expected]
    found = session.get(server.base_url + "/console/customers", params={"q": "张伟"}, timeout=30).text
    link = re.search(r'href="(/console/customers/[^"]+)"', found).group(1)
    page = session.get(server.base_url + link, timeout=30).text
    ratings = re.search(r'data-testid="ratings">(.*?)</table>', page, re.S).group(1)
    cells = re.findall(r"<td>([^<]*)</td>", ratings)
    assert cells == expected
