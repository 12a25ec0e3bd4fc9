"""Project-wide checks: lint, migrations, translations, configuration from the environment."""

import gettext
import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[1]
PO_FILE = ROOT / "locale" / "th" / "LC_MESSAGES" / "django.po"


def test_ruff_lint_passes():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_no_missing_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def _po_entries(text: str) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) for each entry of a .po file; plural forms give msgstr[0]."""
    entries = []
    for block in text.split("\n\n"):
        if block.lstrip().startswith("#~"):
            continue
        fuzzy = "#, fuzzy" in block or ", fuzzy" in block

        def field(name: str, block=block) -> str:
            match = re.search(rf'^{re.escape(name)} ((?:".*"\n?)+)', block, re.M)
            if not match:
                return ""
            parts = re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1))
            return "".join(parts)

        msgid = field("msgid")
        msgstr = field("msgstr") or field("msgstr[0]")
        if msgid:
            entries.append((msgid, msgstr, fuzzy))
    return entries


def test_thai_catalogue_is_complete_and_compiled():
    entries = _po_entries(PO_FILE.read_text(encoding="utf-8"))
    assert len(entries) > 100
    missing = [msgid for msgid, msgstr, fuzzy in entries if not msgstr or fuzzy]
    assert not missing, f"untranslated or fuzzy: {missing[:10]}"
    with (PO_FILE.with_suffix(".mo")).open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        msgid
        for msgid, _msgstr, _fuzzy in entries
        if "\\" not in msgid and compiled.gettext(msgid) == msgid
    ]
    assert not stale, f"django.mo is out of date (run `make messages`): {stale[:5]}"


def test_every_translatable_string_is_in_the_catalogue(tmp_path):
    """makemessages over a copy of the code finds nothing the catalogue lacks."""
    import shutil

    known = {msgid for msgid, _s, _f in _po_entries(PO_FILE.read_text(encoding="utf-8"))}
    for folder in ("cms", "home", "workflows", "search", "templates"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "locale").mkdir()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test", "PYTHONPATH": str(ROOT)}
    script = (
        "import django, os; django.setup();"
        "from django.conf import settings;"
        "settings.LOCALE_PATHS = [os.path.abspath('locale')];"  # never the real catalogue
        "from django.core.management import call_command;"
        "call_command('makemessages', locale=['th'], verbosity=0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    fresh_po = tmp_path / "locale" / "th" / "LC_MESSAGES" / "django.po"
    if result.returncode != 0 or not fresh_po.exists():
        pytest.skip(f"makemessages could not run here: {result.stderr[-300:]}")
    fresh = {m for m, _s, _f in _po_entries(fresh_po.read_text(encoding="utf-8"))}
    assert fresh - known == set(), "run `make messages` and translate the new strings"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "django.db.backends.sqlite3"),
        ({"DATABASE_URL": "postgres://u@127.0.0.1:5432/wian"}, "django.db.backends.postgresql"),
    ],
)
def test_database_comes_from_the_environment(env, expected):
    code = (
        "import django; from django.conf import settings; django.setup();"
        "print(settings.DATABASES['default']['ENGINE'], settings.LANGUAGE_CODE, settings.TIME_ZONE)"
    )
    clean_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean_env, "DJANGO_SETTINGS_MODULE": "cms.settings.dev", **env},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [expected, "th", "Asia/Bangkok"]


def test_production_refuses_to_start_without_a_secret_key():
    clean_env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**clean_env, "DJANGO_SETTINGS_MODULE": "cms.settings.production"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
