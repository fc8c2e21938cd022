"""The project's one settings module, with the one variable tests need but must not require."""

import os

# Production refuses to start without SECRET_KEY; tests run with DEBUG off, so they supply one.
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-any-real-use")

from stockport_plan.settings import *  # noqa: F403

# Tests run Celery tasks in-process; the worker integration tests start a real worker instead.
CELERY_TASK_ALWAYS_EAGER = True
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405

# Tests create hundreds of users: a fast hasher keeps each from costing PBKDF2's deliberate
# slowness (production keeps Django's default; no test depends on the hasher).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests run in transactions that never commit, so the data version that cached pages are keyed
# on is never bumped: pages are not cached here, except in the tests of the page cache itself
# (tests/test_page_cache.py), which commit and use a real cache.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
