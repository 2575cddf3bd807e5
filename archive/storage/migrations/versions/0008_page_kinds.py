"""page kinds: ``articles.kind`` (news, publication, fact, example, event, theme, page), and
translations by the portal's slug convention

Every archived page gets the kind its URL's section names (``archive.storage.kinds.kind_from_url``:
what the crawler decides from the path when the page's markup says nothing more); pages the
archive already holds in one slug family (``<slug>/`` beside ``<slug>-da/`` ...) are linked as
translations of one another, where no hreflang link names that language.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

import re
from urllib.parse import urlsplit, urlunsplit

import sqlalchemy as sa
from alembic import op

from archive.storage.kinds import kind_from_url

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_BATCH = 1000

# The slug convention as it stood at this migration (``archive.ingest.translations.family``;
# a migration must not import code that may change after it).
_SUFFIX_LANGUAGES = ("da", "no", "fi", "is")
_ORIGINAL_LANGUAGE = "sv"
_SUFFIXED = re.compile(rf"^(?P<slug>.{{3,}}?)-(?P<lang>{'|'.join(_SUFFIX_LANGUAGES)})$")


def family(key: str) -> tuple[str, dict[str, str]]:
    """``(this page's language, {language: key} of the other pages of its slug family)``."""
    parts = urlsplit(key)
    trailing = "/" if parts.path.endswith("/") else ""
    head, _, last = parts.path.rstrip("/").rpartition("/")
    if not last:
        return "", {}
    match = _SUFFIXED.match(last)
    slug, own = (match["slug"], match["lang"]) if match else (last, _ORIGINAL_LANGUAGE)

    def key_of(name: str) -> str:
        return urlunsplit(parts._replace(path=f"{head}/{name}{trailing}"))

    keys = {_ORIGINAL_LANGUAGE: key_of(slug),
            **{lang: key_of(f"{slug}-{lang}") for lang in _SUFFIX_LANGUAGES}}
    del keys[own]
    return own, keys


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=20), nullable=False,
                                   server_default="news"))
        batch.create_index("ix_articles_kind", ["kind"])
    bind = op.get_bind()
    _fill_kinds(bind)
    _link_slug_families(bind)


def _fill_kinds(bind) -> None:
    last = 0
    while True:
        rows = bind.execute(sa.text(
            "SELECT id, url FROM articles WHERE id > :last ORDER BY id LIMIT :n"),
            {"last": last, "n": _BATCH}).all()
        if not rows:
            return
        updates = [{"key": row_id, "kind": kind_from_url(url)} for row_id, url in rows
                   if kind_from_url(url) != "news"]
        if updates:
            bind.execute(sa.text("UPDATE articles SET kind = :kind WHERE id = :key"), updates)
        last = rows[-1][0]


def _link_slug_families(bind) -> None:
    owner = {normal: article_id for normal, article_id in bind.execute(sa.text(
        "SELECT normalized_url, article_id FROM article_urls ORDER BY id DESC"))}
    linked = {(article_id, language) for article_id, language in bind.execute(sa.text(
        "SELECT article_id, language FROM translations"))}
    rows = []
    for article_id, key in bind.execute(sa.text(
            "SELECT id, canonical_url FROM articles ORDER BY id")).all():
        for language, other in family(key)[1].items():
            sibling = owner.get(other)
            if sibling is None or sibling == article_id or (article_id, language) in linked:
                continue
            linked.add((article_id, language))
            rows.append({"article_id": article_id, "language": language, "url": other})
    if rows:
        bind.execute(sa.text("INSERT INTO translations (article_id, language, url) "
                             "VALUES (:article_id, :language, :url)"), rows)


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_index("ix_articles_kind")
        batch.drop_column("kind")
