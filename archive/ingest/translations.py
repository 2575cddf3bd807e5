"""Translations the portal links by its own convention, not by hreflang: a Swedish original at
``<slug>/`` and its translations beside it at ``<slug>-da/``, ``-no/``, ``-fi/``, ``-is/`` (at the
portal's root or in one section). Pages of one such family are linked as translations of one
another in ``translations``, as hreflang links are, once both are archived.

A translation is of its family's kind: the portal files its root-level translations
(``/<slug>-da/``) under no section, so a page of kind ``page`` linked as a translation (by the
convention or by hreflang, either way) of a news item, theme or publication takes that kind
(``family_kind``), and takes it back whichever of the two was archived first
(``give_kind``)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import Connection, bindparam, insert, or_, select, update

from archive.search import index as search
from archive.storage.models import Article, ArticleUrl, Translation

URLS = ArticleUrl.__table__
TRANSLATIONS = Translation.__table__
ARTICLES = Article.__table__
#: The kind every page has that no section names: the one a translation gives up for its
#: family's.
PLAIN_KIND = "page"

#: The languages the portal marks with a slug suffix, and the language of the unsuffixed page.
SUFFIX_LANGUAGES = ("da", "no", "fi", "is")
ORIGINAL_LANGUAGE = "sv"
_SUFFIXED = re.compile(rf"^(?P<slug>.{{3,}}?)-(?P<lang>{'|'.join(SUFFIX_LANGUAGES)})$")

_OWNERS = select(URLS.c.normalized_url, URLS.c.article_id).where(
    URLS.c.normalized_url.in_(bindparam("keys", expanding=True))).order_by(URLS.c.id)
_RELATIVES = (
    select(ARTICLES.c.id, ARTICLES.c.kind, ARTICLES.c.canonical_url)
    .where(or_(ARTICLES.c.id.in_(select(URLS.c.article_id).where(
                   URLS.c.normalized_url.in_(bindparam("keys", expanding=True)))),
               ARTICLES.c.id.in_(select(TRANSLATIONS.c.article_id).where(
                   TRANSLATIONS.c.url == bindparam("key")))))
    .order_by(ARTICLES.c.id))
_HAVE_LANGUAGE = select(TRANSLATIONS.c.article_id).where(
    TRANSLATIONS.c.article_id.in_(bindparam("ids", expanding=True)),
    TRANSLATIONS.c.language == bindparam("language"))


def family(key: str) -> tuple[str, dict[str, str]]:
    """``(this page's language by the convention, {language: key} of the other pages of its
    family)`` for an article's key (a normalised URL); ``("", {})`` for a URL with no slug."""
    parts = urlsplit(key)
    trailing = "/" if parts.path.endswith("/") else ""
    head, _, last = parts.path.rstrip("/").rpartition("/")
    if not last:
        return "", {}
    match = _SUFFIXED.match(last)
    slug, own = (match["slug"], match["lang"]) if match else (last, ORIGINAL_LANGUAGE)

    def key_of(name: str) -> str:
        return urlunsplit(parts._replace(path=f"{head}/{name}{trailing}"))

    keys = {ORIGINAL_LANGUAGE: key_of(slug),
            **{lang: key_of(f"{slug}-{lang}") for lang in SUFFIX_LANGUAGES}}
    del keys[own]
    return own, keys


def siblings(conn: Connection, article_id: int, key: str
             ) -> tuple[str, dict[str, tuple[int, str]]]:
    """``(own language, {language: (article id, key)})``: the archived pages of this article's
    family (an article never links to itself)."""
    own, keys = family(key)
    if not keys:
        return own, {}
    language_of = {k: lang for lang, k in keys.items()}
    found: dict[str, tuple[int, str]] = {}
    for normal, owner in conn.execute(_OWNERS, {"keys": sorted(language_of)}):
        if owner != article_id:
            found.setdefault(language_of[normal], (owner, normal))
    return own, found


def link_back(conn: Connection, own: str, key: str,
              found: dict[str, tuple[int, str]]) -> None:
    """Each sibling links to this article under this article's language, unless it has a
    link in that language already (its hreflang link wins)."""
    ids = sorted({owner for owner, _ in found.values()})
    if not ids or not own:
        return
    linked = set(conn.scalars(_HAVE_LANGUAGE, {"ids": ids, "language": own}))
    rows = [{"article_id": owner, "language": own, "url": key} for owner in ids
            if owner not in linked]
    if rows:
        conn.execute(insert(TRANSLATIONS), rows)


def family_kind(conn: Connection, article_id: int | None, key: str, kind: str,
                linked: Iterable[str] = ()) -> str:
    """The kind a page is archived as: its own, unless that is ``page`` and a page it is a
    translation of (its slug family, its hreflang links ``linked``, or a page whose hreflang
    links name it) has another kind; the original's (the unsuffixed page) first."""
    if kind != PLAIN_KIND:
        return kind
    _, keys = family(key)
    candidates = (set(keys.values()) | set(linked)) - {key}
    original = keys.get(ORIGINAL_LANGUAGE)
    found = [row for row in conn.execute(_RELATIVES, {"keys": sorted(candidates), "key": key})
             if row.id != article_id and row.kind != PLAIN_KIND]
    if not found:
        return kind
    return next((row.kind for row in found if row.canonical_url == original), found[0].kind)


def give_kind(conn: Connection, article_id: int, key: str, kind: str,
              linked: Iterable[str] = ()) -> None:
    """This article's kind to the archived pages of kind ``page`` that translate it (its slug
    family, its hreflang links, the pages whose hreflang links name it), archived before it."""
    if kind == PLAIN_KIND:
        return
    _, keys = family(key)
    candidates = sorted((set(keys.values()) | set(linked)) - {key})
    ids = sorted({row.id for row in conn.execute(_RELATIVES, {"keys": candidates, "key": key})
                  if row.kind == PLAIN_KIND} - {article_id})
    if ids:
        conn.execute(update(ARTICLES).where(ARTICLES.c.id.in_(ids)).values(kind=kind))
        search.refresh_facets(conn, ids)  # the index's facets follow
