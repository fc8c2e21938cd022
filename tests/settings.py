"""The project's one settings module, with the one variable tests need but must not require."""

import os

# Production refuses to start without SECRET_KEY; tests run with DEBUG off, so they supply one.
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-any-real-use")

from stockport_plan.settings import *  # noqa: F403
