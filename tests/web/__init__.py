"""The web window (``nordarchive serve``) in headless Chromium, and the archive among the
web-archiving tools (WACZ, CDXJ, pywb, Memento)."""
