"""End-to-end tests: the real ``nordarchive crawl`` (Scrapy, in a subprocess) against the
replica portal or another site served on a loopback address."""
