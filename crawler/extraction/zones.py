"""The publisher's time zone, as far as the page tells it: a timestamp is not a day until it is
placed where the page was published (22:04 UTC on 18 October is the 19th in the Nordics).

In order: the offset the page's own timestamps state (anything but UTC's); the portal's own
zone; the zone of the page's language and region (``<html lang>``) where that language is spoken
in one zone (``de``, ``sv``; ``en-gb``, never plain ``en``, ``es`` or ``ar``); the zone of its
country's domain. None: the page does not say, and a UTC timestamp keeps its UTC day.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, timezone, tzinfo
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

#: The portal is published from Stockholm.
PORTAL_ZONE = "Europe/Stockholm"

#: Languages spoken (as a web page's language) in one time zone, near enough for a day.
LANGUAGE_ZONES = {
    "sv": "Europe/Stockholm", "fi": "Europe/Helsinki", "da": "Europe/Copenhagen",
    "nb": "Europe/Oslo", "nn": "Europe/Oslo", "no": "Europe/Oslo", "is": "Atlantic/Reykjavik",
    "de": "Europe/Berlin", "nl": "Europe/Amsterdam", "it": "Europe/Rome", "pl": "Europe/Warsaw",
    "cs": "Europe/Prague", "sk": "Europe/Bratislava", "hu": "Europe/Budapest",
    "sl": "Europe/Ljubljana", "hr": "Europe/Zagreb", "et": "Europe/Tallinn",
    "lv": "Europe/Riga", "lt": "Europe/Vilnius", "el": "Europe/Athens", "ro": "Europe/Bucharest",
    "bg": "Europe/Sofia", "uk": "Europe/Kyiv", "tr": "Europe/Istanbul", "ja": "Asia/Tokyo",
    "ko": "Asia/Seoul", "he": "Asia/Jerusalem", "fr": "Europe/Paris",
}
#: Language and region (``<html lang="en-GB">``) where the language alone spans zones.
REGION_ZONES = {
    "en-gb": "Europe/London", "en-ie": "Europe/Dublin", "en-us": "America/New_York",
    "en-ca": "America/Toronto", "en-au": "Australia/Sydney", "en-nz": "Pacific/Auckland",
    "en-in": "Asia/Kolkata", "en-za": "Africa/Johannesburg", "es-es": "Europe/Madrid",
    "es-mx": "America/Mexico_City", "es-ar": "America/Argentina/Buenos_Aires",
    "pt-pt": "Europe/Lisbon", "pt-br": "America/Sao_Paulo", "fr-ca": "America/Toronto",
    "fr-be": "Europe/Brussels", "fr-ch": "Europe/Zurich",
}
#: Country domains of one zone.
DOMAIN_ZONES = {
    "se": "Europe/Stockholm", "fi": "Europe/Helsinki", "dk": "Europe/Copenhagen",
    "no": "Europe/Oslo", "is": "Atlantic/Reykjavik", "de": "Europe/Berlin",
    "at": "Europe/Vienna", "ch": "Europe/Zurich", "nl": "Europe/Amsterdam",
    "be": "Europe/Brussels", "fr": "Europe/Paris", "it": "Europe/Rome", "es": "Europe/Madrid",
    "pl": "Europe/Warsaw", "cz": "Europe/Prague", "uk": "Europe/London", "ie": "Europe/Dublin",
    "pt": "Europe/Lisbon", "gr": "Europe/Athens", "jp": "Asia/Tokyo", "nz": "Pacific/Auckland",
}


def publisher_zone(stated: Iterable[datetime | None], html_lang: str | None, url: str, *,
                   in_portal: bool = False) -> tzinfo | None:
    """The zone the page was published in (see the module), or None."""
    offsets = [value.utcoffset() for value in stated
               if value is not None and value.utcoffset() not in (None, timedelta(0))]
    if offsets:
        return timezone(offsets[0])
    if in_portal:
        return ZoneInfo(PORTAL_ZONE)
    lang = (html_lang or "").lower().replace("_", "-")
    name = REGION_ZONES.get(lang) or LANGUAGE_ZONES.get(lang.split("-")[0])
    if name is None:
        host = urlsplit(url).hostname or ""
        name = DOMAIN_ZONES.get(host.rpartition(".")[2])
    return ZoneInfo(name) if name else None
