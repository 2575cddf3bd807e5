"""Scrapy spiders of nordarchive."""
