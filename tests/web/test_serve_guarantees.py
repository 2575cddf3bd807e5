"""``nordarchive serve`` without a browser: the window never hands out the archive file
itself, its SQL pages stop at 1,000 rows and say so, and it warns exactly when it listens
beyond this machine (on loopback it says nothing: a warning there would teach users to ignore
it), and ``--open`` starts the user's browser on the start page."""

from __future__ import annotations

import json
import sys
from urllib.parse import urlencode

from archive.storage.database import Database
from tests.helpers.net import wait_until
from tests.helpers.web import get, serving

WARNING = "is not a loopback address: anyone who can reach it can read the archive"


def test_loopback_is_quiet_the_file_is_not_for_download_and_sql_stops_at_1000_rows(tmp_path):
    db = tmp_path / "archive.db"
    with Database(f"sqlite:///{db}"):
        pass
    log = tmp_path / "serve.log"
    with serving(str(db), log) as (base, _):
        assert get(base + "/archive.db")[0] == 403
        sql = ("with recursive n(i) as (select 1 union all select i + 1 from n where i < 1500) "
               "select i from n")
        code, _, body = get(f"{base}/archive.json?" + urlencode({"sql": sql, "_shape": "objects"}))
        assert code == 200, body[:500]
        answer = json.loads(body)
        assert len(answer["rows"]) == 1000 and answer["truncated"] is True
    assert WARNING not in log.read_text()


def test_listening_on_every_address_warns_once(tmp_path):
    db = tmp_path / "archive.db"
    with Database(f"sqlite:///{db}"):
        pass
    log = tmp_path / "serve.log"
    with serving(str(db), log, "--host", "0.0.0.0") as (base, _):
        assert get(base + "/")[0] == 200
    said = log.read_text()
    assert said.count(f"nordarchive: warning: 0.0.0.0 {WARNING}") == 1, said[-2000:]


def test_open_starts_the_users_browser_on_the_start_page(tmp_path):
    db = tmp_path / "archive.db"
    with Database(f"sqlite:///{db}"):
        pass
    opened = tmp_path / "opened"
    browser = tmp_path / "browser.py"  # the user's $BROWSER: writes down what it was given
    browser.write_text(f"import sys\nopen({str(opened)!r}, 'w').write(sys.argv[1])\n")
    env = {"BROWSER": f"{sys.executable} {browser} %s"}
    with serving(str(db), tmp_path / "serve.log", "--open", env=env) as (base, _):
        wait_until(opened.exists, 60, message="no browser was started")
    assert opened.read_text() == base + "/"
