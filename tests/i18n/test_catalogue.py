"""The Chinese catalogue is complete: every string the code marks has a translation that is
neither missing nor fuzzy, keeps the English's placeholders, and is compiled into the .mo the
site reads. Gathering runs `makemessages` on a copy of the tree (so the real catalogue is never
rewritten by a test) with the same options as `make messages`."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"
DOMAINS = ("django", "djangojs")
# The same as I18N_IGNORE in the Makefile: what is not the staff's interface.
IGNORE = [".venv", "tests", "bench", "upstream/sandbox", "templates/sandbox", "docs"]
SKIP_COPY = shutil.ignore_patterns(".venv", ".git", "var", "__pycache__", "*.pyc", "node_modules")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]|\{\w*\}")


def entries(po: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in po if not entry.obsolete]


def translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def catalogue(domain: str) -> polib.POFile:
    path = CATALOGUE / f"{domain}.po"
    if domain == "djangojs" and not path.exists():
        return polib.POFile()  # no script marks a string yet
    return polib.pofile(str(path))


@pytest.fixture(scope="module")
def gathered(tmp_path_factory) -> dict[str, polib.POFile]:
    """The catalogue as `make messages` would leave it for the tree as it is now."""
    copy = tmp_path_factory.mktemp("tree") / "caigou"
    shutil.copytree(settings.BASE_DIR, copy, ignore=SKIP_COPY)
    with pytest.MonkeyPatch.context() as patch, override_settings(LOCALE_PATHS=[copy / "locale"]):
        patch.chdir(copy)
        for domain in DOMAINS:
            call_command(
                "makemessages",
                locale=["zh_Hans"],
                domain=domain,
                ignore_patterns=IGNORE,
                add_location="file",
                no_obsolete=True,
                verbosity=0,
            )
    folder = copy / "locale" / "zh_Hans" / "LC_MESSAGES"
    return {
        d: polib.pofile(str(folder / f"{d}.po")) for d in DOMAINS if (folder / f"{d}.po").exists()
    }


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_marked_string_has_a_chinese_translation(gathered, domain):
    if domain not in gathered:
        return
    missing = [e.msgid for e in entries(gathered[domain]) if not all(translations(e))]
    fuzzy = [e.msgid for e in entries(gathered[domain]) if "fuzzy" in e.flags]
    assert not missing, (
        f"{len(missing)} strings lack a translation: run `make messages`: {missing[:20]}"
    )
    assert not fuzzy, f"{len(fuzzy)} translations are fuzzy (the English changed): {fuzzy[:20]}"


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_committed_catalogue_is_complete_and_keeps_placeholders(domain):
    po = catalogue(domain)
    for entry in entries(po):
        assert "fuzzy" not in entry.flags, entry.msgid
        for text in translations(entry):
            assert text, f"untranslated: {entry.msgid!r}"
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(entry.msgid)), (
                entry.msgid,
                text,
            )


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_compiled_catalogue_is_the_committed_one(domain):
    po = catalogue(domain)
    if not entries(po):
        return
    compiled = {
        (e.msgctxt, e.msgid): translations(e) for e in polib.mofile(str(CATALOGUE / f"{domain}.mo"))
    }
    written = {(e.msgctxt, e.msgid): translations(e) for e in entries(po)}
    assert compiled == written, "run `make messages` to compile locale/zh_Hans"
