"""Language of an article's own title and text (never of its template).

py3langid, restricted to the portal's seven languages, answers first: it knows Icelandic and
Nynorsk and splits Norwegian into ``nb``/``nn`` when it is certain (measured: 100 % on
paragraphs, 0.15 ms). When it is unsure, langdetect (seeded, so deterministic, and restricted to
the profiles it has for the portal's languages) gets an equal vote; it is asked only then, since it
costs ~2.4 ms a call (see ``_langdetect_scores``) and has no Icelandic or Nynorsk profile.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

#: The languages the portal publishes in, as py3langid labels them ("no" is Bokmål there).
PORTAL_LANGUAGES = ("sv", "da", "no", "nn", "fi", "is", "en")
#: langdetect has no Icelandic and no Nynorsk profile.
LANGDETECT_LANGUAGES = ("sv", "da", "no", "fi", "en")
#: Below this many letters a text is too short to trust either detector over the template.
SHORT_TEXT = 40
#: How sure py3langid must be of one Norwegian standard to name it (else "no").
NORWEGIAN_STANDARD_CERTAINTY = 0.9
#: py3langid answers alone at or above this probability.
SURE = 0.95
_SAMPLE = 2000
_SPACES = re.compile(" {2,}")


@dataclass(frozen=True)
class LanguageGuess:
    language: str
    confidence: float


@lru_cache(maxsize=1)
def _langid():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(PORTAL_LANGUAGES))
    return identifier


@lru_cache(maxsize=1)
def _langdetect_factory():
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    profiles = [
        json.dumps(json.loads((Path(PROFILES_DIRECTORY) / code).read_text(encoding="utf-8")))
        for code in LANGDETECT_LANGUAGES
    ]
    factory.load_json_profile(profiles)
    factory.set_seed(0)
    return factory


def _langdetect_scores(text: str) -> dict[str, float]:
    """langdetect's probabilities above its threshold (``Detector.get_probabilities()``), its
    n-gram extraction and seeded trials done here in fewer Python steps for its five profiles:
    the same arithmetic in the same order, so the same figures (a test compares them): 2.4 ms a
    call on the real pages where langdetect's own loop takes 4.2 ms."""
    from langdetect.lang_detect_exception import LangDetectException
    from langdetect.utils.ngram import NGram

    detector = _langdetect_factory().create()
    if len(detector.langlist) != 5:  # noqa: PLR2004 - the loop below is written for five
        detector.append(text)
        try:
            return {p.lang: p.prob for p in detector.get_probabilities()}
        except LangDetectException:
            return {}
    # Detector.append(): addresses out, Vietnamese marks joined, runs of spaces made one.
    text = NGram.normalize_vi(detector.MAIL_RE.sub(" ", detector.URL_RE.sub(" ", text)))
    detector.text = _SPACES.sub(" ", text[:detector.max_text_length])
    detector.cleaning_text()
    table = detector.word_lang_prob_map
    ngrams = _ngrams(detector.text, table)
    if not ngrams:
        return {}  # langdetect: "No features in text."
    # Detector._detect_block(): per trial, multiply by the profile of random n-grams until one
    # language is near certain, normalising every fifth step.
    trials, converged, limit = detector.n_trial, detector.CONV_THRESHOLD, detector.ITERATION_LIMIT
    generator = detector.random
    generator.seed(detector.seed)
    choice = generator.choice
    scores = [0.0] * 5
    for _ in range(trials):
        p0 = p1 = p2 = p3 = p4 = 1.0 / 5
        weight = (detector.alpha + generator.gauss(0.0, 1.0) * detector.ALPHA_WIDTH
                  ) / detector.BASE_FREQ
        i = 0
        while True:
            q0, q1, q2, q3, q4 = table[choice(ngrams)]
            p0 *= weight + q0
            p1 *= weight + q1
            p2 *= weight + q2
            p3 *= weight + q3
            p4 *= weight + q4
            if i % 5 == 0:
                total = p0 + p1 + p2 + p3 + p4
                p0, p1, p2, p3, p4 = p0 / total, p1 / total, p2 / total, p3 / total, p4 / total
                if max(p0, p1, p2, p3, p4) > converged or i >= limit:
                    break
            i += 1
        for k, p in enumerate((p0, p1, p2, p3, p4)):
            scores[k] += p / trials
    return {lang: p for lang, p in zip(detector.langlist, scores, strict=True)
            if p > detector.PROB_THRESHOLD}


@lru_cache(maxsize=4096)
def _normalized(char: str) -> str:
    from langdetect.utils.ngram import NGram

    return NGram.normalize(char)


def _ngrams(text: str, table: dict) -> list[str]:
    """``Detector._extract_ngrams()``: the 1-, 2- and 3-grams of ``text`` that langdetect has
    profiles for, in its order, skipping words in capitals."""
    found: list[str] = []
    grams, capital = " ", False
    for char in text:
        char = _normalized(char)
        last = grams[-1]
        if last == " ":
            grams, capital = " ", False
            if char == " ":
                continue
        elif len(grams) >= 3:
            grams = grams[1:]
        grams += char
        if char.isupper():
            if last.isupper():
                capital = True
        else:
            capital = False
        if capital:
            continue
        if char != " " and char in table:
            found.append(char)
        size = len(grams)
        if size >= 2:
            if grams[-2:] in table:
                found.append(grams[-2:])
            if size >= 3 and grams in table:
                found.append(grams)
    return found


def detect_language(title: str, text: str, template_lang: str | None = None) -> LanguageGuess:
    """The ISO 639-1 code of ``title`` + ``text``, with a confidence in [0, 1]."""
    sample = f"{title}\n{text}"[:_SAMPLE]
    letters = sum(ch.isalpha() for ch in sample)
    if letters == 0:
        return LanguageGuess(template_lang or "und", 0.0)
    ranked = dict(_langid().rank(sample))
    norwegian = ranked.get("no", 0.0) + ranked.get("nn", 0.0)
    merged = {lang: p for lang, p in ranked.items() if lang not in ("no", "nn")}
    merged["no"] = norwegian
    second = _langdetect_scores(sample) if max(merged.values()) < SURE else {}
    if second:
        # Equal votes where both can answer; py3langid alone for Icelandic.
        votes = {lang: (p + second.get(lang, 0.0)) / 2 for lang, p in merged.items()}
        votes["is"] = merged.get("is", 0.0)
    else:
        votes = merged
    language = max(votes, key=votes.get)
    confidence = votes[language]
    if letters < SHORT_TEXT and template_lang in merged and confidence < 0.9:
        return LanguageGuess(template_lang, round(confidence, 3))
    if language == "no" and norwegian > 0:
        share_nn = ranked.get("nn", 0.0) / norwegian
        if share_nn >= NORWEGIAN_STANDARD_CERTAINTY:
            language = "nn"
        elif share_nn <= 1 - NORWEGIAN_STANDARD_CERTAINTY:
            language = "nb"
    return LanguageGuess(language, round(min(confidence, 1.0), 3))
