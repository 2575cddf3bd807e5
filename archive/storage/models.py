"""The archive's tables, in SQLAlchemy 2.0's typed declarative style.

The manual's schema page (``docs/schema.md``) documents them for analysts; a change here needs
a migration in ``archive/storage/migrations/versions/``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from archive.storage.times import UTCDateTime


class Base(DeclarativeBase):
    pass


#: Longest tag name the tag index holds (extraction drops longer "tags": they are text).
MAX_TAG_LENGTH = 500
#: ``crawl_runs.status`` values (README, "Schema"); why a run ended goes to ``message``.
RUN_STATUSES = ("running", "finished", "interrupted", "failed", "unreachable")
#: ``sources.kind`` values: a web page, a PDF, another document (DOCX, ODT, ...).
SOURCE_KINDS = ("page", "pdf", "document")


class ArchiveIdentity(Base):
    """One row: the archive's identity, made when it is created. WARC files carry it in
    their names and warcinfo records, so captures of two archives can never be mixed."""

    __tablename__ = "archive_identity"

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CrawlRun(Base):
    """One crawl: when, how it ended, what it did."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: one of ``RUN_STATUSES``
    status: Mapped[str] = mapped_column(String(20), default="running")
    start_urls: Mapped[list] = mapped_column(JSON, default=list)
    #: ``crawl``, ``backfill`` (from a web archive) or ``import`` (WARC files).
    kind: Mapped[str] = mapped_column(String(20), default="crawl", server_default="crawl")
    message: Mapped[str | None] = mapped_column(Text)
    new: Mapped[int] = mapped_column(BigInteger, default=0)
    revised: Mapped[int] = mapped_column(BigInteger, default=0)
    unchanged: Mapped[int] = mapped_column(BigInteger, default=0)
    removed: Mapped[int] = mapped_column(BigInteger, default=0)
    restored: Mapped[int] = mapped_column(BigInteger, default=0)
    aliases: Mapped[int] = mapped_column(BigInteger, default=0)
    failed: Mapped[int] = mapped_column(BigInteger, default=0)
    #: Articles whose check was skipped (sitemap lastmod, within NORDARCHIVE_REVERIFY_DAYS).
    skipped: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    pages_fetched: Mapped[int] = mapped_column(BigInteger, default=0)
    bytes_fetched: Mapped[int] = mapped_column(BigInteger, default=0)

class Article(Base):
    """One article, however many URLs reached it; one language (translations are separate)."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Identity key: the normalised canonical URL (``archive.storage.urls``); never shown as a URL.
    canonical_url: Mapped[str] = mapped_column(String(2048), unique=True)
    #: The portal's own URL: the canonical as the page declares it, else the URL fetched.
    url: Mapped[str] = mapped_column(String(2048))
    language: Mapped[str] = mapped_column(String(8), index=True)
    section: Mapped[str | None] = mapped_column(String(100), index=True)
    #: ``news``, ``publication``, ``fact``, ``example``, ``event``, ``theme`` or ``page``
    #: (``archive.storage.kinds``).
    kind: Mapped[str] = mapped_column(String(20), index=True, default="news",
                                      server_default="news")
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime())
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    current_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("revisions.id", use_alter=True, name="fk_articles_current_revision")
    )
    #: Fingerprint of the current revision (title, text, tags, dates).
    content_hash: Mapped[str] = mapped_column(String(64))
    #: Fingerprint of title and text only: finds the same story under a new slug.
    body_hash: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date, index=True)
    modified: Mapped[date | None] = mapped_column(Date)
    #: The last crawl run that counted this article: each run counts an article once.
    checked_run_id: Mapped[int | None] = mapped_column(Integer)

    urls: Mapped[list[ArticleUrl]] = relationship(back_populates="article")
    revisions: Mapped[list[Revision]] = relationship(
        back_populates="article", foreign_keys="Revision.article_id",
        order_by="[Revision.fetched_at, Revision.number]"
    )

class ArticleUrl(Base):
    """Every URL that ever reached an article, as seen (tracking variants, redirects, old
    slugs), with its normal form and the HTTP validators for conditional re-crawls."""

    __tablename__ = "article_urls"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    normalized_url: Mapped[str] = mapped_column(String(2048), index=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # canonical fetched redirect alias variant
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime())
    http_status: Mapped[int | None] = mapped_column(Integer)
    etag: Mapped[str | None] = mapped_column(String(512))
    last_modified: Mapped[str | None] = mapped_column(String(100))

    article: Mapped[Article] = relationship(back_populates="urls")

class Revision(Base):
    """One version of an article as the portal published it (or as a newer extractor read it)."""

    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("article_id", "number", name="uq_revisions_article_number"),
                      Index("ix_revisions_fetched_at", "fetched_at", "id"),
                      Index("ix_revisions_language_fetched_at", "language", "fetched_at", "id"),
                      Index("ix_revisions_significance_fetched_at", "significance", "fetched_at",
                            "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime())
    crawl_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    url: Mapped[str] = mapped_column(String(2048))
    title: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    published: Mapped[date | None] = mapped_column(Date)
    modified: Mapped[date | None] = mapped_column(Date)
    #: The moments behind ``published``/``modified`` (days in the publisher's time zone),
    #: where the page gave a time with its zone.
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    modified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    tags: Mapped[list] = mapped_column(JSON, default=list)
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    extractor_version: Mapped[str] = mapped_column(String(100))
    #: Who observed it: ``site`` (our crawl), ``extractor`` (a newer reading of a capture),
    #: a web archive's name (a backfill) or ``import`` (a WARC file).
    origin: Mapped[str] = mapped_column(String(100), default="site")
    change_kind: Mapped[str] = mapped_column(String(100))  # new | comma list of changed fields
    lines_added: Mapped[int] = mapped_column(Integer, default=0)
    lines_removed: Mapped[int] = mapped_column(Integer, default=0)
    diff: Mapped[str | None] = mapped_column(Text)
    # What changed from the revision before it in time (``archive.storage.changes``; the
    # manual's schema page defines each): recomputed when a revision is placed before it.
    #: Comma list of ``title``, ``text``, ``tags``, ``published``, ``modified``, ``language``.
    changed_fields: Mapped[str] = mapped_column(String(100), default="", server_default="")
    words_added: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    words_removed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: Share of the longer version's words not matched in the other, 0 to 1.
    changed_share: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    numbers_changed: Mapped[bool] = mapped_column(Boolean, default=False,
                                                  server_default=false())
    minor: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: ``minor``, ``edit``, ``rewrite`` or ``headline``; NULL for an article's first version.
    significance: Mapped[str | None] = mapped_column(String(20))
    #: The raw response this revision was extracted from (WARC record).
    capture_id: Mapped[int | None] = mapped_column(ForeignKey("captures.id"), index=True)
    #: Where a web archive's observation came from: its memento URI, or ``file#record``.
    source: Mapped[str | None] = mapped_column(String(2048))

    article: Mapped[Article] = relationship(back_populates="revisions", foreign_keys=[article_id])


class Capture(Base):
    """One WARC record written by a crawl: a response, or a revisit of an identical payload."""

    __tablename__ = "captures"

    id: Mapped[int] = mapped_column(primary_key=True)
    crawl_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    url: Mapped[str] = mapped_column(String(2048))
    normalized_url: Mapped[str] = mapped_column(String(2048), index=True)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime())
    http_status: Mapped[int] = mapped_column(Integer)
    #: File name inside the capture folder: ``nordarchive-<archive uuid>-<run>-<n>.warc.gz``.
    warc_file: Mapped[str] = mapped_column(String(255))
    offset: Mapped[int] = mapped_column(BigInteger)
    length: Mapped[int] = mapped_column(BigInteger)
    record_id: Mapped[str] = mapped_column(String(100))
    payload_digest: Mapped[str] = mapped_column(String(100), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # response | revisit
    refers_to_id: Mapped[int | None] = mapped_column(ForeignKey("captures.id"))
    #: Who made the capture: ``site`` (our crawl), a web archive's name, or ``import``; its
    #: ``fetched_at`` is the original capture time.
    origin: Mapped[str] = mapped_column(String(100), default="site", server_default="site")
    #: The memento URI or ``file#record`` the record was copied from (none for our crawls).
    source: Mapped[str | None] = mapped_column(String(2048), index=True)

class Tag(Base):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(MAX_TAG_LENGTH), unique=True)

class ArticleTag(Base):
    """The current revision's tags of each article, in page order."""

    __tablename__ = "article_tags"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

class Translation(Base):
    """hreflang links: this article says it exists in ``language`` at ``url``."""

    __tablename__ = "translations"
    __table_args__ = (UniqueConstraint("article_id", "language", name="uq_translations"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    language: Mapped[str] = mapped_column(String(16))
    url: Mapped[str] = mapped_column(String(2048), index=True)

class ArticleEvent(Base):
    """What happened to an article besides revisions: removed, redirected, restored, alias."""

    __tablename__ = "article_events"
    __table_args__ = (Index("ix_article_events_at", "at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(20))
    url: Mapped[str | None] = mapped_column(String(2048))
    http_status: Mapped[int | None] = mapped_column(Integer)
    crawl_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"))
    #: Where the request ended (after redirects), when that is not ``url``.
    final_url: Mapped[str | None] = mapped_column(String(2048))
    #: What was served there: ``listing``, ``home``, ``search``, ``not-found``, ``article`` …
    page_kind: Mapped[str | None] = mapped_column(String(40))

class FetchFailure(Base):
    """A page the crawl could not archive, and why."""

    __tablename__ = "fetch_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    crawl_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    url: Mapped[str] = mapped_column(String(2048))
    reason: Mapped[str] = mapped_column(String(100))
    message: Mapped[str | None] = mapped_column(Text)



class ListedUrl(Base):
    """A URL the portal names in a sitemap, a feed or a page's links: what ``coverage``
    compares with what the archive holds."""

    __tablename__ = "listed_urls"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: As the portal wrote it where it was first named.
    url: Mapped[str] = mapped_column(String(2048))
    normalized_url: Mapped[str] = mapped_column(String(2048), unique=True)
    source: Mapped[str] = mapped_column(String(20))  # sitemap | feed | page
    #: The sitemap, feed or page that first named it.
    found_on: Mapped[str | None] = mapped_column(String(2048))
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime())
    last_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"), index=True)


class Source(Base):
    """A page or document an article's own text links to (off the portal, or a document
    anywhere): fetched once when first cited, one hop out, then re-checked for link rot. Never
    deleted: a source that disappears is marked ``gone`` and keeps its captures."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: As the first citing article wrote it.
    url: Mapped[str] = mapped_column(String(2048))
    normalized_url: Mapped[str] = mapped_column(String(2048), unique=True)
    host: Mapped[str] = mapped_column(String(255), index=True)
    #: one of ``SOURCE_KINDS``; from the URL until a response's content type says better.
    kind: Mapped[str] = mapped_column(String(20), default="page")
    first_cited: Mapped[datetime] = mapped_column(UTCDateTime())
    first_captured: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_checked: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: When the next crawl should fetch it (first fetch or re-check); NULL: never again
    #: (refused for good, e.g. a private address or a disallowing robots.txt is re-read then).
    next_check: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    #: HTTP status of the latest check; NULL if no answer was ever had.
    status: Mapped[int | None] = mapped_column(Integer)
    #: Why the latest check did not capture it (``robots``, ``too-large``, ``private-address``,
    #: ``dns``, ``connection``, ``http-404`` ...); NULL when it did.
    reason: Mapped[str | None] = mapped_column(String(100))
    message: Mapped[str | None] = mapped_column(Text)
    #: Since when the source is gone (404/410, DNS failing twice in a row, a redirect to a home
    #: or unrelated page); NULL while it exists.
    gone_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    gone_reason: Mapped[str | None] = mapped_column(String(40))
    #: DNS failures in a row (two make it gone).
    dns_failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    etag: Mapped[str | None] = mapped_column(String(512))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    current_capture_id: Mapped[int | None] = mapped_column(
        ForeignKey("source_captures.id", use_alter=True, name="fk_sources_current_capture"))
    #: Of the current capture.
    title: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))
    content_type: Mapped[str | None] = mapped_column(String(255))
    chars: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class SourceCapture(Base):
    """One fetched version of a source: its extracted text and its raw response's WARC record.
    A re-check that finds the same content adds none."""

    __tablename__ = "source_captures"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime())
    crawl_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    #: Where the request ended (after redirects).
    url: Mapped[str] = mapped_column(String(2048))
    http_status: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str | None] = mapped_column(String(255))
    title: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    chars: Mapped[int] = mapped_column(Integer, default=0)
    #: The raw response (``captures``: WARC file, offset).
    capture_id: Mapped[int | None] = mapped_column(ForeignKey("captures.id"), index=True)


class ArticleSource(Base):
    """Which sources each article cites, in the order its text links them."""

    __tablename__ = "article_sources"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), primary_key=True,
                                           index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    first_cited: Mapped[datetime] = mapped_column(UTCDateTime())
