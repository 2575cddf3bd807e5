"""Consent text by text alone: the platforms' real default texts are recognised, so are their
rewordings, and article sentences about cookies, consent and data protection are not."""

from __future__ import annotations

import pytest

from crawler.extraction import patterns
from crawler.extraction.chrome import clean_paragraphs

PLATFORM_TEXTS = [(platform, lang, text)
                  for platform, texts in patterns.CONSENT_PLATFORM_TEXTS.items()
                  for lang, text in texts.items()]


@pytest.mark.parametrize(("platform", "lang", "text"), PLATFORM_TEXTS,
                         ids=[f"{p}-{lang}" for p, lang, _ in PLATFORM_TEXTS])
def test_every_real_platform_text_is_consent_text(platform, lang, text):
    assert patterns.CONSENT_TEXT.search(text)


# A platform's own rewording, or a site's edit of the default, still matches.
REWORDINGS = [
    "Our website uses cookies to give you a better experience.",
    "We are using cookies to improve the site.",
    "This website utilises technologies such as cookies for analytics.",
    "Vår webbplats använder cookies för att förbättra upplevelsen.",
    "Den här sidan använder kakor för statistik.",
    "Denne hjemmeside anvender cookies til statistik.",
    "Vi benytter os af cookies for at forbedre oplevelsen.",
    "Vi benytter informasjonskapsler for å forbedre nettstedet.",
    "Tämä verkkosivusto käyttää evästeitä kävijätilastointiin.",
    "Þessi vefsíða notar vafrakökur til að bæta upplifun.",
    'Ved at klikke på "Accepter" giver du samtykke til vores brug af cookies.',
    "Vi samlar och bearbetar dina personuppgifter för följande syften: Statistik, Marknadsföring.",
    "We need your consent before you can continue on this website.",
    "Lagra och/eller få åtkomst till information på en enhet",  # a TCF dialog's purpose line
]


@pytest.mark.parametrize("text", REWORDINGS)
def test_rewordings_of_the_platform_texts_are_consent_text(text):
    assert patterns.CONSENT_TEXT.search(text)


# News about integration may speak of cookies, consent and data protection: never chrome.
ARTICLE_SENTENCES = [
    # en
    "Under the GDPR, municipalities must obtain consent before they share data about asylum"
    " seekers with other authorities.",
    "Users must consent to the use of cookies under the ePrivacy Directive, the data protection"
    " authority reminded the municipalities.",
    "Many websites use cookies and third-party tracking technologies, the audit of municipal"
    " e-services found.",
    "Municipalities use technologies such as cookies and tracking pixels on their websites,"
    " according to the report.",
    "Could we enable more newcomers to find work by recognising their qualifications faster?",
    "Participants can withdraw their consent at any time, the researchers stress.",
    # sv
    "Enligt dataskyddsförordningen måste kommunen ha den enskildes samtycke innan uppgifter om"
    " nyanlända lämnas ut.",
    "Många väljer att acceptera cookies utan att läsa villkoren, visar en ny undersökning.",
    "Många webbplatser använder cookies för att följa besökarna, konstaterar"
    " Integritetsskyddsmyndigheten.",
    "Myndigheten får lagra och/eller dela uppgifterna endast med den enskildes samtycke.",
    "Den som deltar kan när som helst ändra eller återkalla sitt samtycke.",
    # da
    "Kommunen skal indhente samtykke, før oplysninger om flygtninge deles med andre"
    " myndigheder, siger Datatilsynet.",
    "Hvordan kan vi aktivere flere frivillige i integrationsarbejdet?",
    # no
    "Datatilsynet mener at nettsteder som bruker informasjonskapsler, må be om samtykke på en"
    " tydeligere måte.",
    "Kommunen trenger samtykke før opplysningene kan deles med NAV.",
    # fi
    "Tietosuojavaltuutetun mukaan kunnan on pyydettävä suostumus ennen kuin maahanmuuttajien"
    " tietoja luovutetaan eteenpäin.",
    "Monet käyttäjät hyväksyvät evästeet lukematta ehtoja, kertoo tuore selvitys.",
    "Verkkopalvelut käyttävät seurantatekniikoita, kuten evästeitä, selvityksen mukaan.",
    # is
    "Persónuvernd segir að sveitarfélög verði að afla samþykkis áður en upplýsingum um"
    " flóttafólk er deilt.",
    "Margir notendur samþykkja vafrakökur án þess að lesa skilmálana, samkvæmt nýrri könnun.",
]


@pytest.mark.parametrize("sentence", ARTICLE_SENTENCES)
def test_article_sentences_about_cookies_and_consent_are_not_consent_text(sentence):
    assert not patterns.CONSENT_TEXT.search(sentence)
    verdict = clean_paragraphs([sentence, "Ett riktigt stycke text."], set())
    assert verdict.paragraphs == [sentence, "Ett riktigt stycke text."]


def test_no_entry_is_left_without_a_language_of_the_portal():
    languages = {"sv", "fi", "no", "da", "is", "en"}
    assert all(texts and set(texts) <= languages
               for texts in patterns.CONSENT_PLATFORM_TEXTS.values())
    assert set().union(*patterns.CONSENT_PLATFORM_TEXTS.values()) == languages


def _requires_hint(items) -> bool:
    """Every match of the parsed pattern ``items`` holds one of ``CONSENT_HINTS`` (in a run of
    its literal letters, a group, every branch of an alternation or a repeat taken at least
    once)."""
    from re import _constants as c

    run = ""
    for op, av in items:
        if op is c.LITERAL:
            run += chr(av).lower()
            if any(hint in run for hint in patterns.CONSENT_HINTS):
                return True
            continue
        run = ""
        if (op is c.SUBPATTERN and _requires_hint(av[-1])
                or op is c.BRANCH and all(_requires_hint(branch) for branch in av[1])
                or op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] >= 1 and _requires_hint(av[2])):
            return True
    return False


def test_every_consent_pattern_requires_one_of_the_hints():
    # The hints let is_consent_text() skip the big pattern: a pattern without one would be
    # skipped on every line.
    from re import _constants as c
    from re import _parser

    parsed = list(_parser.parse(patterns.CONSENT_TEXT.pattern, patterns.CONSENT_TEXT.flags))
    assert len(parsed) == 1 and parsed[0][0] is c.BRANCH
    branches = parsed[0][1][1]
    assert len(branches) >= 25
    missing = [i for i, branch in enumerate(branches) if not _requires_hint(branch)]
    assert missing == []


CASES = [text for _, _, text in PLATFORM_TEXTS] + REWORDINGS + ARTICLE_SENTENCES + [
    "ThİS WEBSITE USES COOKİES",  # the dotted capital I that re.IGNORECASE reads as i
    "Vi anvender cookieſ",  # and the long s
    "Nothing about it here.",
]


@pytest.mark.parametrize("text", CASES)
def test_is_consent_text_answers_as_the_pattern(text):
    for variant in (text, text.upper()):
        assert patterns.is_consent_text(variant) == bool(patterns.CONSENT_TEXT.search(variant))
