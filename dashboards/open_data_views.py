"""The finance open data files, served as stored in the current release, as the readings are."""

from __future__ import annotations

from django.http import HttpRequest
from django.http.response import HttpResponseBase

from dashboards import open_data
from dashboards.views import _open_data_file


def open_data_finance_csv(request: HttpRequest) -> HttpResponseBase:
    return _finance_file(request, "finance.csv", "council-plan-finance.csv")


def open_data_finance_json(request: HttpRequest) -> HttpResponseBase:
    return _finance_file(request, "finance.json", "council-plan-finance.json")


def _finance_file(request: HttpRequest, name: str, download: str) -> HttpResponseBase:
    """A release built before the finance files existed is built again first."""
    release = open_data.release_current()
    if release is not None and name not in release.etags:
        open_data.open_data_build()
    return _open_data_file(request, name, download)
