"""Redis as a cache the pages can lose: with Redis gone for a minute a page computes what it
would have read from the cache (a dashboard's tables, a region's table, a public page) and
is shown, instead of an error page; it is kept again once Redis answers. A Redis that hangs
is given up after a second, not waited for."""

from __future__ import annotations

import functools
import hashlib
import logging
import pickle

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from django.db.models import Model
from django.utils import timezone, translation
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
# Seconds to connect to Redis and to wait for an answer.
TIMEOUT = 1.0


def content_key(*parts) -> str:
    """A fingerprint of `parts` (picklable values) and the current language: what is rendered
    or computed from them is kept under it and is looked up again only while they are equal."""
    content = (translation.get_language(), parts)
    return hashlib.sha1(pickle.dumps(content, pickle.HIGHEST_PROTOCOL)).hexdigest()


def rows_key(rows) -> str:
    """A fingerprint of a page's rows as they were read from the database — each row's fields
    and annotations, the rows fetched with it (`select_related`) and its prefetched rows — and
    of the day (a badge may depend on it) and the language: a table rendered from them is kept
    under it and rendered again as soon as any of it changes. Lists keep their tables ten
    minutes (`{% cache 600 … %}`): long enough for the pages a user goes back and forth
    between, short enough that Redis holds only the pages read lately."""
    return content_key(timezone.localdate(), [_as_read(row) for row in rows])


# What `_as_read` walks into; every other value is taken as it is.
_SEQUENCES = (list, tuple)
_WALKED = (Model, *_SEQUENCES)


def _as_read(value, path: tuple = ()):
    """A model instance as plain values: walked rather than pickled whole (Django's pickling
    copies every instance's state, twice as slow for a page of rows). A row met again below
    itself (a prefetched mentee's own pair) is named by its key only."""
    if isinstance(value, Model):
        # A row's identity as Model.__eq__ has it, compared without a call per row above it.
        pk = value.pk
        identity = (value._meta.concrete_model, id(value) if pk is None else pk)
        if identity in path:
            return (type(value).__name__, pk)
        path += (identity,)
        values = [type(value).__name__]
        for name, field in value.__dict__.items():
            if name == "_state":
                for related_name, related in field.fields_cache.items():
                    values += (related_name, _as_read(related, path))
            elif name == "_prefetched_objects_cache":
                for related_name, rows in field.items():
                    values += (related_name, [_as_read(row, path) for row in rows])
            elif isinstance(field, _WALKED):
                values += (name, _as_read(field, path))
            else:
                values += (name, field)
        return values
    if isinstance(value, _SEQUENCES):
        return [_as_read(item, path) for item in value]
    return value


def _unless_unreachable(fallback):
    """Run the cache operation; when Redis does not answer, log it and return `fallback`
    (a function of the operation's arguments) instead."""

    def decorate(operation):
        @functools.wraps(operation)
        def tolerant(self, *args, **kwargs):
            try:
                return operation(self, *args, **kwargs)
            except UNREACHABLE as error:
                logger.warning("cache unreachable, %s skipped: %s", operation.__name__, error)
                return fallback(*args, **kwargs)

        return tolerant

    return decorate


def _nothing(*args, **kwargs):
    return None


class TolerantRedisCache(RedisCache):
    """Django's Redis cache whose unanswered reads are misses and unanswered writes are
    skipped; other errors (a missing key for `incr`) are raised as Django raises them."""

    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", TIMEOUT)
        options.setdefault("socket_timeout", TIMEOUT)
        super().__init__(server, params)

    @_unless_unreachable(lambda key, default=None, version=None: default)
    def get(self, key, default=None, version=None):
        return super().get(key, default, version)

    @_unless_unreachable(lambda keys, version=None: {})
    def get_many(self, keys, version=None):
        return super().get_many(keys, version)

    @_unless_unreachable(lambda *args, **kwargs: False)
    def has_key(self, key, version=None):
        return super().has_key(key, version)

    @_unless_unreachable(lambda *args, **kwargs: False)
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().add(key, value, timeout, version)

    @_unless_unreachable(_nothing)
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set(key, value, timeout, version)

    @_unless_unreachable(lambda data, *args, **kwargs: list(data))
    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set_many(data, timeout, version)

    @_unless_unreachable(lambda *args, **kwargs: False)
    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return super().touch(key, timeout, version)

    @_unless_unreachable(lambda *args, **kwargs: False)
    def delete(self, key, version=None):
        return super().delete(key, version)

    @_unless_unreachable(_nothing)
    def delete_many(self, keys, version=None):
        return super().delete_many(keys, version)

    @_unless_unreachable(_nothing)
    def incr(self, key, delta=1, version=None):
        return super().incr(key, delta, version)

    @_unless_unreachable(lambda *args, **kwargs: False)
    def clear(self):
        return super().clear()
