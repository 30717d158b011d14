import time


class Cache:
    """A small in-memory cache with expiry."""

    def __init__(self, ttl):
        self.ttl = ttl
        self.items = {}

    def get(self, key):
        # Expired entries are dropped on read, so the cache never serves stale data.
        entry = self.items.get(key)
        if entry is None:
            return None
        value, stored = entry
        if time.time() - stored > self.ttl:
            del self.items[key]
            return None
        return value

    def set(self, key, value):
        self.items[key] = (value, time.time())
