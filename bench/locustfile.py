"""The load of one served benchmark run: BENCH_USERS visitors asking for BENCH_PATH as fast as
the server answers (no think time), each with the session cookie BENCH_COOKIE if one is given,
and accepting gzip as every browser does (open data is served from its gzipped copy then).
Run by bench/served.py with `locust --headless`; not part of the app."""

from __future__ import annotations

import os

from locust import FastHttpUser, task


class Visitor(FastHttpUser):
    """One visitor, asking again as soon as each answer arrives."""

    path = os.environ["BENCH_PATH"]
    cookie = os.environ.get("BENCH_COOKIE", "")

    @task
    def ask(self) -> None:
        headers = {"Accept-Encoding": "gzip"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        with self.client.get(self.path, headers=headers, name=self.path, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"answered {r.status_code}")
