"""A replica of the portal, after ../shared/portal/PORTAL.md: article texts in six languages
(``content``), the page templates and chrome placements (``templates``), and a site of pages
to serve over HTTP (``site``)."""
