"""nordarchive's crawler side: extraction (pure functions) and the Scrapy project."""
