"""The archive of the search tests: every replica story, and short articles holding the
inflected forms the stories lack; the queries asked of it, the base forms each must find by
stem, and which stories a query finds."""

from __future__ import annotations

from datetime import date

from archive.ingest.articles import ingest
from archive.read.queries import run_search
from archive.search.filters import Filters
from archive.storage.database import Database
from tests.helpers.archive_data import fetch_of, ingest_stories, record_of
from tests.replica.content import BY_KEY, STORIES

# Inflected forms the replica's stories lack, in short articles of their own.
EXTRA = [
    record_of(BY_KEY["no-forum"], canonical_url="https://nordicwelfare.org/integration-norden/"
              "nyheter/arbeid/", title="Språkpraksis på arbeidsplassen",
              text="Mange nyankomne lærer norsk best på arbeidsplassen sammen med kolleger.",
              published=date(2024, 3, 1), tags=()),
]
# (query, language, the stories it must find: base form → inflected forms in the text)
BASE_FORMS = [
    ("flykting", "sv", {"sv-ukraina"}),                                 # flyktingar
    ("kommun", "sv", {"sv-ukraina", "sv-natverk-unga", "sv-sprakkafe"}),  # kommunerna, -er
    ("flygtning", "da", {"sv-dansk-brodtext", "da-forum", "da-unge", "da-ukraine"}),
    ("arbejdsmarked", "da", {"da-ukraine"}),                            # arbejdsmarkedet
    ("arbeidsplass", "nb", {"arbeid"}),                                 # arbeidsplassen
    ("municipality", "en", {"en-forum", "en-language-cafes", "en-ukraine"}),  # -ies
    ("maahanmuuttaja", "fi", {"fi-foorumi", "fi-kielikahvila"}),  # maahanmuuttajien, -jia
    ("flóttafólk", "is", {"is-vettvangur", "is-ukraina"}),  # unstemmed, prefix: flóttafólks
]
QUERIES = [q for q, _, _ in BASE_FORMS] + [
    '"flyktingar"', '"flykting"', "flykt*", "flottafolks", "före", "fore", "forum", "Ukraina",
    '"nordiska länderna"', "nordisk forum", "integration flygtninge", "unga nätverk",
    "refugees Ukraine", "2018", "kriget", "krig", "flóttafólks", "sveitarfélög*",
    "flykt* nordisk*", '"nordiska länderna" "kriget"']


def fill(database: Database) -> None:
    ingest_stories(database)
    for record in EXTRA:
        ingest(database, record, fetch_of(record.canonical_url, 99))


def found(database: Database, query: str, **filters) -> set[str]:
    """The stories (keys; "arbeid" for the extra article) a query finds."""
    keys = {s.title: s.key for s in STORIES} | {EXTRA[0].title: "arbeid"}
    return {keys[h["title"]] for h in run_search(database, query, Filters(**filters),
                                                 limit=100)}
