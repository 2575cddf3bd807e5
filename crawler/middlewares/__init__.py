"""Downloader middlewares: scope, conditional requests, retry backoff."""
