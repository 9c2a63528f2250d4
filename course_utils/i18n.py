"""The language of the course's messages: English, or Korean from a gettext catalogue.

Every sentence that ``course_utils`` shows a student or an instructor (a check's verdict
and hint, "not answered yet", a helper's input error, the grader's feedback) is written in
English in the code, marked with :func:`_`, and translated from the catalogues in
``course_utils/locales/<language>/LC_MESSAGES/*.po`` (one per part of the package; the
maintainers' tool ``tools/messages.py`` extracts and checks them). The Korean lesson
notebooks select Korean in their setup call, ``course_utils.setup(seed=42,
language="ko")``; the English ones keep the default. A message without a finished
translation (missing, empty or fuzzy) is shown in English.

Messages that hold values are templates with named fields, filled in after translation so
that a translation can put them where its grammar wants them::

    _("{name} = {value} is not right: it is too small.").format(name="n", value=3)

Introduced in the lesson "Perceptron to MLP" (its setup cell); every check uses it.

Example:
    >>> with language("ko"):
    ...     print(_("too small"))
    너무 작음
    >>> print(_("too small"))
    too small
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

__all__ = [
    "LANGUAGES",
    "N_",
    "_",
    "get_language",
    "language",
    "set_language",
    "translations",
]

#: Each language of the course, by its code, with the language's own name.
LANGUAGES = {"en": "English", "ko": "한국어"}
#: The environment variable that chooses the language of a new process (the grader sets it
#: for the kernels it starts); ``set_language`` overrides it.
LANGUAGE_VARIABLE = "COURSE_LANGUAGE"

LOCALES = Path(__file__).resolve().parent / "locales"

_catalogues: dict[str, dict[str, str]] = {}


def _checked(language: str) -> str:
    if not isinstance(language, str) or language.strip().lower() not in LANGUAGES:
        known = ", ".join(f"{code!r} ({name})" for code, name in LANGUAGES.items())
        raise ValueError(f"language must be one of {known}; received {language!r}")
    return language.strip().lower()


def _initial() -> str:
    requested = os.environ.get(LANGUAGE_VARIABLE, "").strip().lower()
    return requested if requested in LANGUAGES else "en"


_current = _initial()


def set_language(language: str) -> None:
    """Show the course's messages in ``language`` from now on: ``"en"`` or ``"ko"``.

    Raises:
        ValueError: for another language, naming the known ones.

    Example:
        >>> set_language("ko"); get_language()
        'ko'
        >>> set_language("en")
    """
    global _current
    _current = _checked(language)


def get_language() -> str:
    """The language messages are shown in now (``"en"`` unless set otherwise)."""
    return _current


@contextlib.contextmanager
def language(code: str) -> Iterator[None]:
    """Show messages in ``code`` inside the block, then return to the language before.

    Example:
        >>> with language("ko"):
        ...     get_language()
        'ko'
        >>> get_language()
        'en'
    """
    global _current
    code = _checked(code)
    before, _current = _current, code
    try:
        yield
    finally:
        _current = before


def translations(code: str) -> dict[str, str]:
    """``English message -> translation`` for ``code``: every finished entry (translated,
    not fuzzy) of the language's catalogues; empty for English."""
    code = _checked(code)
    if code == "en":
        return {}
    if code not in _catalogues:
        import polib

        found: dict[str, str] = {}
        for path in sorted((LOCALES / code / "LC_MESSAGES").glob("*.po")):
            for entry in polib.pofile(str(path)):
                if entry.msgid and entry.msgstr and not entry.fuzzy and not entry.obsolete:
                    found[entry.msgid] = entry.msgstr
        _catalogues[code] = found
    return _catalogues[code]


def _(message: str) -> str:
    """``message`` in the current language (itself where no translation is finished)."""
    if _current == "en":
        return message
    return translations(_current).get(message, message)


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it yet (it is stored, for
    example as a known mistake's message, and translated with :func:`_` when shown)."""
    return message
