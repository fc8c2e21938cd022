"""Static assets: served from static/, built into a manifest, no CDN, no GOV.UK brand files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

STATIC = Path(settings.BASE_DIR) / "static"
TEMPLATES = Path(settings.BASE_DIR) / "templates"


def test_collectstatic_builds_a_complete_manifest(
    tmp_path: Path, settings: pytest.FixtureRequest
) -> None:
    settings.STATIC_ROOT = tmp_path  # type: ignore[attr-defined]
    settings.STORAGES = {  # type: ignore[attr-defined]
        **settings.STORAGES,  # type: ignore[attr-defined]
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = (tmp_path / "staticfiles.json").read_text()
    for name in (
        "govuk/govuk-frontend.min.css",
        "govuk/govuk-frontend.min.js",
        "css/app.css",
        "js/app.js",
        "js/govuk-supported.js",
    ):
        assert f'"{name}"' in manifest


def test_no_page_or_asset_loads_from_another_site() -> None:
    pattern = re.compile(r"""(src|href)=["']?(https?:)?//""")
    for path in [*TEMPLATES.rglob("*.html"), *STATIC.rglob("*.js"), *STATIC.rglob("*.css")]:
        if path.suffix == ".html":
            assert not pattern.search(path.read_text()), path
    css = (STATIC / "govuk" / "govuk-frontend.min.css").read_text()
    assert not re.search(r"url\((['\"]?)(https?:)?//", css)
    assert "@import url(" not in css


def test_the_gov_uk_font_crown_and_logotype_are_not_shipped() -> None:
    css = (STATIC / "govuk" / "govuk-frontend.min.css").read_text()
    assert "GDS Transport" not in css and "@font-face" not in css
    shipped = [p.name.lower() for p in STATIC.rglob("*") if p.is_file()]
    assert not [n for n in shipped if re.search(r"crown|crest|logotype|\.woff2?$", n)]
