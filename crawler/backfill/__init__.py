"""Backfill: the portal's history from web archives (the Wayback Machine, Common Crawl, any
archive speaking the Wayback CDX protocol). ``cdx`` parses the archives' answers,
``archives`` asks them, politely."""
