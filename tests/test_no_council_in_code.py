"""No council is named in the code: its name, words, colour and logo come from the plan's data
(fixtures) or settings, so another council's plan is shown in its own name. The project's
package keeps its folder name, `stockport_plan`, as an identifier only."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIPPED = {".venv", ".git", "node_modules", "tests", "fixtures", "docs"}
NAMED = re.compile(r"stockport(?!_plan)", re.IGNORECASE)


def code_files() -> list[Path]:
    """Every Python module, template and script of ours."""
    found = []
    for pattern in ("*.py", "*.html", "*.js", "*.css"):
        for path in ROOT.rglob(pattern):
            parts = set(path.relative_to(ROOT).parts)
            if parts & SKIPPED or "vendor" in parts or path.name.endswith(".min.js"):
                continue
            found.append(path)
    return found


def test_no_council_is_named_in_python_templates_or_scripts() -> None:
    files = code_files()
    assert any(p.name == "base.html" for p in files) and any(p.name == "models.py" for p in files)
    named = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in files
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if NAMED.search(line)
    ]
    assert named == []


def test_the_check_finds_a_council_named_in_code() -> None:
    """The pattern catches the name however it is written, and lets the package's name by."""
    assert NAMED.search("<a>Stockport Council</a>") and NAMED.search("STOCKPORT")
    assert NAMED.search("stockport-bench-") and not NAMED.search("from stockport_plan import env")
