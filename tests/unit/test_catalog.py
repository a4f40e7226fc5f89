"""The Spanish catalog is complete, current and safe to format.

Messages are extracted from the code with Babel's own extractor (the keywords
of scripts/update_catalog.sh) and compared with translations/aiddesk.pot and
translations/es/LC_MESSAGES/aiddesk.po. When one of these fails after a code
change: run scripts/update_catalog.sh, then translate what it added."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from aiddesk import i18n

ROOT = Path(__file__).resolve().parents[2]
POT = ROOT / "translations" / "aiddesk.pot"
SPANISH = ROOT / "translations" / "es" / "LC_MESSAGES" / "aiddesk.po"
KEYWORDS = {
    "_": None,
    "N_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "NP_": ((1, "c"), 2),
}
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
SHOW = 15  # how many offenders an assertion message lists

Key = tuple[str | None, str]  # (context, msgid)


@cache
def code_messages() -> dict[Key, tuple[str, ...]]:
    """Every message marked in aiddesk/: (context, msgid) -> (msgid,) or (singular, plural)."""
    found: dict[Key, tuple[str, ...]] = {}
    for _file, _line, message, _comments, context in extract_from_dir(
        str(ROOT / "aiddesk"), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        ids = tuple(message) if isinstance(message, tuple | list) else (message,)
        if ids[0]:
            found[(context, ids[0])] = ids
    return found


@cache
def load(path: Path) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh)


def entries(catalog: Catalog) -> dict[Key, Message]:
    return {(m.context, m.id[0] if isinstance(m.id, tuple | list) else m.id): m for m in catalog if m.id}


def forms(message: Message) -> tuple[str, ...]:
    return tuple(message.string) if isinstance(message.string, tuple | list) else (message.string,)


def plural_messages() -> list[tuple[str, str]]:
    return sorted((ids[0], ids[1]) for ids in code_messages().values() if len(ids) == 2)


def listed(keys: list[Key]) -> str:
    shown = "\n  ".join(
        repr(k[1]) + (f" (context {k[0]!r})" if k[0] else "") for k in sorted(keys, key=str)[:SHOW]
    )
    more = f"\n  ... and {len(keys) - SHOW} more" if len(keys) > SHOW else ""
    return f"{len(keys)} message(s):\n  {shown}{more}\n(run scripts/update_catalog.sh)"


def test_code_has_messages() -> None:
    assert len(code_messages()) > 50


def test_pot_has_every_message_of_the_code() -> None:
    pot = entries(load(POT))
    missing = [key for key in code_messages() if key not in pot]
    assert not missing, "messages in the code but not in translations/aiddesk.pot: " + listed(missing)


def test_pot_has_no_message_the_code_dropped() -> None:
    stale = [key for key in entries(load(POT)) if key not in code_messages()]
    assert not stale, "messages in translations/aiddesk.pot that the code no longer uses: " + listed(stale)


def test_pot_plurals_match_the_code() -> None:
    pot = entries(load(POT))
    wrong = [
        key
        for key, ids in code_messages().items()
        if key in pot
        and tuple(pot[key].id if isinstance(pot[key].id, tuple | list) else (pot[key].id,)) != ids
    ]
    assert not wrong, "singular/plural pairs differ between the code and the .pot: " + listed(wrong)


def test_spanish_header_has_the_plural_rule() -> None:
    catalog = load(SPANISH)
    assert str(catalog.locale) == "es"
    assert catalog.num_plurals == 2
    assert catalog.plural_expr == "(n != 1)"
    raw = SPANISH.read_text(encoding="utf-8")
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in raw
    assert "charset=utf-8" in raw


def test_every_message_has_a_spanish_translation() -> None:
    spanish = entries(load(SPANISH))
    missing = [
        key
        for key in code_messages()
        if key not in spanish or not all(s.strip() for s in forms(spanish[key]))
    ]
    assert not missing, "messages with no Spanish translation: " + listed(missing)


def test_no_spanish_translation_is_fuzzy() -> None:
    spanish = entries(load(SPANISH))
    fuzzy = [key for key in code_messages() if key in spanish and spanish[key].fuzzy]
    assert not fuzzy, "fuzzy (unchecked) Spanish translations: " + listed(fuzzy)


def test_spanish_plurals_have_both_forms() -> None:
    spanish = entries(load(SPANISH))
    wrong = [
        key
        for key, ids in code_messages().items()
        if len(ids) == 2
        and key in spanish
        and (len(forms(spanish[key])) != 2 or not all(forms(spanish[key])))
    ]
    assert not wrong, "plural messages without both Spanish forms: " + listed(wrong)


def test_babel_checks_pass() -> None:
    """Babel's checkers: python-format placeholders compatible, right number of plural forms."""
    problems = [
        f"{message.id!r}: {'; '.join(str(e) for e in errors)}" for message, errors in load(SPANISH).check()
    ]
    assert not problems, "\n".join(problems[:SHOW])


def test_translations_use_the_same_placeholders() -> None:
    """A translation may not drop, rename or add a %(name)s (the singular of a plural may drop the count)."""
    wrong = []
    for key, message in entries(load(SPANISH)).items():
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        strings = forms(message)
        if not all(strings):
            continue  # untranslated: reported by test_every_message_has_a_spanish_translation
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for index, text in enumerate(strings):
            have = set(PLACEHOLDER.findall(text))
            singular_of_plural = len(ids) == 2 and index == 0
            if have - wanted or (not singular_of_plural and have != wanted):
                wrong.append(key)
    assert not wrong, "translations whose %(name)s placeholders differ from the English: " + listed(wrong)


@pytest.mark.parametrize(("singular", "plural"), plural_messages())
def test_plural_forms_in_both_languages(singular: str, plural: str) -> None:
    i18n.set_language("en")
    assert i18n.ngettext(singular, plural, 1) == singular
    assert i18n.ngettext(singular, plural, 2) == plural
    assert i18n.ngettext(singular, plural, 0) == plural
    message = entries(load(SPANISH)).get((None, singular))
    assert message is not None, f"{singular!r} is not in the Spanish catalog (run scripts/update_catalog.sh)"
    translation = forms(message)
    assert len(translation) == 2 and all(translation), f"{singular!r} lacks its Spanish plural forms"
    i18n.set_language("es")
    assert i18n.ngettext(singular, plural, 1) == translation[0]
    assert i18n.ngettext(singular, plural, 2) == translation[1]
    assert i18n.ngettext(singular, plural, 0) == translation[1]


def test_spanish_catalog_is_what_the_app_loads() -> None:
    """Every translated message comes back from _() in Spanish (no manual compile step)."""
    i18n.set_language("es")
    wrong = [
        key
        for key, message in entries(load(SPANISH)).items()
        if key[0] is None
        and isinstance(message.string, str)
        and message.string
        and not message.fuzzy
        and i18n._(key[1]) != message.string
    ]
    assert not wrong, "translations the running app does not return: " + listed(wrong)


# One word for one thing: a volunteer who reads "puesto" on one screen and "mesa" on the next
# wonders whether they are two things. The physical table keeps its own word.
TERMS = {
    "desk": ("puesto", "mesa"),
    "settings": ("ajustes", "configuración"),
    "passphrase": ("frase secreta", "frases? clave"),  # the same secret opens the desk and signs in
}
PHYSICAL_TABLE = {"Leave no printed list with names on the desk."}


@pytest.mark.parametrize("english", sorted(TERMS))
def test_spanish_uses_one_word_for_each_thing(english: str) -> None:
    ours, other = TERMS[english]
    offenders = []
    for message in load(SPANISH):
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        texts = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if not message.id or ids[0] in PHYSICAL_TABLE:
            continue
        if any(re.search(rf"\b{other}e?s?\b", text.lower()) for text in texts if text):
            offenders.append(ids[0])
    assert not offenders, f"say “{ours}” for {english}, not “{other}”: {offenders[:SHOW]}"
