"""Language identification on headlines and paragraphs of every portal language."""

from __future__ import annotations

from collections import defaultdict

from crawler.extraction.language import detect_language
from tests.replica.content import EXTRA_HEADLINES, EXTRA_PARAGRAPHS, STORIES


def _items():
    headlines, paragraphs = defaultdict(list), defaultdict(list)
    for story in STORIES:
        headlines[story.lang].append(story.title)
        paragraphs[story.lang].extend(p for p in story.paragraphs if len(p) > 60)
    for lang, extra in EXTRA_HEADLINES.items():
        headlines[lang].extend(extra)
    for lang, extra in EXTRA_PARAGRAPHS.items():
        paragraphs[lang].extend(extra)
    return headlines, paragraphs


def _accepted(lang: str) -> set[str]:
    return {lang, "no"} if lang in ("nb", "nn") else {lang}


def _accuracy(items: dict[str, list[str]], exact: bool = False) -> dict[str, float]:
    result = {}
    for lang, texts in items.items():
        ok = sum(detect_language("", t).language in ({lang} if exact else _accepted(lang))
                 for t in texts)
        result[lang] = ok / len(texts)
    return result


def test_paragraphs_are_identified_without_error_in_every_language(capsys):
    _, paragraphs = _items()
    assert set(paragraphs) == {"sv", "en", "fi", "nb", "nn", "da", "is"}
    assert all(len(texts) >= 4 for texts in paragraphs.values())
    accuracy = _accuracy(paragraphs)
    with capsys.disabled():
        print(f"\nparagraph accuracy merged {accuracy}"
              f"\nparagraph accuracy exact {_accuracy(paragraphs, exact=True)}")
    assert accuracy == {lang: 1.0 for lang in paragraphs}


def test_headline_accuracy(capsys):
    headlines, _ = _items()
    accuracy = _accuracy(headlines)
    exact = _accuracy(headlines, exact=True)
    with capsys.disabled():
        print(f"\nheadline accuracy merged {accuracy}\nheadline accuracy exact {exact}")
    assert sum(accuracy.values()) / len(accuracy) >= 0.85
    assert min(accuracy.values()) >= 0.6


def test_icelandic_and_nynorsk_are_named():
    assert detect_language("", "Við höfum stofnað nýjan vettvang fyrir sérfræðinga í aðlögun "
                               "innflytjenda á Norðurlöndum.").language == "is"
    assert detect_language("", "Vi har oppretta eit nytt forum for ekspertar på integrering i "
                               "dei nordiske landa, og forumet skal samle kunnskap om korleis "
                               "ein kan hjelpe.").language == "nn"


def test_template_language_breaks_ties_only_for_very_short_texts():
    assert detect_language("", "OK", template_lang="sv").language == "sv"
    long_danish = ("Forummet er åbent for ansatte i forvaltningen, forskere og repræsentanter "
                   "for frivillige foreninger i hele Norden.")
    assert detect_language("", long_danish, template_lang="sv").language == "da"


def _langdetect_own(text: str) -> dict[str, float]:
    from langdetect.lang_detect_exception import LangDetectException

    from crawler.extraction.language import _langdetect_factory

    detector = _langdetect_factory().create()
    detector.append(text)
    try:
        return {p.lang: p.prob for p in detector.get_probabilities()}
    except LangDetectException:
        return {}


def test_the_second_opinion_is_langdetects_own_to_the_last_digit():
    # _langdetect_scores() repeats langdetect's loop in fewer steps: its figures must be
    # langdetect's, on prose, headlines, capitals, addresses, runs of spaces and no letters.
    from crawler.extraction.language import _langdetect_scores

    headlines, paragraphs = _items()
    texts = [t for items in (headlines, paragraphs) for group in items.values() for t in group]
    texts += [t.upper() for t in texts[:20]] + [
        "Läs mer på https://example.org/nyheter?id=1 eller skriv till info@example.org  nu",
        "NATO  och   EU i  Norden", "Ærø ÅÄÖ åäö þð", "12 345", "", "   ", "x",
        "Tiếng Việt có dấu", "日本語のテキスト",
    ]
    assert len(texts) > 100
    differing = [t for t in texts if _langdetect_scores(t) != _langdetect_own(t)]
    assert differing == []
    assert sum(bool(_langdetect_scores(t)) for t in texts) > 100
