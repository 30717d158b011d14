"""Fetch pages and cache them on disk."""
import os
import time

CACHE_DIR = os.path.expanduser("~/.cache/pages")


class Fetcher:
    """Fetches pages, from the cache when it is fresh."""

    def __init__(self, session, max_age=3600):
        self.session = session
        self.max_age = max_age

    def _path(self, url):
        # One file per URL, named by its hash.
        return os.path.join(CACHE_DIR, str(hash(url)))

    def fetch(self, url):
        path = self._path(url)
        if os.path.exists(path) and time.time() - os.path.getmtime(path) < self.max_age:
            with open(path) as f:
                return f.read()
        text = self.session.get(url).text
        with open(path, "w") as f:
            f.write(text)
        return text


def fetch_all(fetcher, urls):
    return [fetcher.fetch(u) for u in urls]
