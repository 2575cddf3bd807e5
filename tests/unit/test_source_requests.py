"""What a source's redirect means: a page that moved is still the source; one that now lands
on its site's home page, or on another site's, is gone."""

from __future__ import annotations

import pytest

from crawler.source_requests import redirect_kind


@pytest.mark.parametrize(("cited", "final", "kind"), [
    ("https://kommuntorget.fi/natverk/2019", "https://kommuntorget.fi/", "home"),
    ("https://kommuntorget.fi/natverk/2019", "https://kommuntorget.fi", "home"),
    ("https://old.example/rapport.pdf", "https://new.example/", "unrelated"),
    ("https://kommuntorget.fi/natverk/2019", "https://kommuntorget.fi/arkiv/natverk-2019",
     None),
    ("https://kommuntorget.fi/natverk/2019", "https://kommuntorget.fi/?p=19", None),
    ("https://kommuntorget.fi/", "https://www.kommuntorget.fi/", None),  # cited its home
])
def test_redirect_kind(cited, final, kind):
    assert redirect_kind(cited, final) == kind
