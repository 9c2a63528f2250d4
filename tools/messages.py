"""The message catalogues of ``course_utils``: what students and instructors read.

Every sentence ``course_utils`` shows is English in the code, marked with ``_(...)`` (or
``N_(...)`` where it is stored and translated later), and translated from the catalogues
``course_utils/locales/<language>/LC_MESSAGES/<part>.po``: ``checks.po`` (the general
checks and the exercise machinery), ``lessonNN.po`` (one per lesson's check module),
``helpers.po`` (the lessons' helpers: plots, windows, loaders, seeding) and
``instructor.po`` (student notebooks, the grader, its feedback and report). The package
reads the ``.po`` files themselves (with ``polib``), so there is nothing to compile.

Usage::

    python tools/messages.py update     # after changing a message: merge into the catalogues
    python tools/messages.py check      # what the tests check (see problems())
    python tools/messages.py stats      # messages, translated and fuzzy per catalogue

``update`` extracts the marked messages and merges them: a new message arrives
untranslated, a changed one *fuzzy* with its old translation kept as a draft. Translate
them (following ``locales/ko/STYLE.md``, the course's Korean style sheet), remove the
``fuzzy`` flags, and run ``check``.
"""

from __future__ import annotations

import argparse
import re
import string
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
PACKAGE = ROOT / "course_utils"
LANGUAGES = ("ko",)
KEYWORDS = {"_": None, "N_": None}
HANGUL = re.compile("[\uac00-\ud7a3]")


def part_of(path: Path) -> str:
    """The catalogue a source file's messages go to.

    >>> part_of(PACKAGE / "exercises" / "lesson03.py"), part_of(PACKAGE / "checks.py")
    ('lesson03', 'checks')
    >>> part_of(PACKAGE / "plotting.py"), part_of(PACKAGE / "instructor" / "report.py")
    ('helpers', 'instructor')
    """
    relative = path.relative_to(PACKAGE)
    if relative.parts[0] == "exercises" and relative.stem.startswith("lesson"):
        return relative.stem
    if relative.parts[0] == "instructor" or relative.stem in ("grade", "student"):
        return "instructor"
    if relative.parts[0] == "exercises" or relative.stem in ("checks", "i18n"):
        return "checks"
    return "helpers"


def sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "locales" not in p.parts)


def templates():  # -> dict[str, babel.messages.catalog.Catalog]
    """The messages the code marks now, one template catalogue per part."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_file

    found: dict[str, Catalog] = {}
    for path in sources():
        part = part_of(path)
        catalogue = found.setdefault(part, Catalog(project="course_utils", fuzzy=False))
        location = path.relative_to(ROOT).as_posix()
        for line, message, _comments, _context in extract_from_file(
            "python", path, keywords=KEYWORDS, comment_tags=("Translators:",)
        ):
            if not isinstance(message, str):
                raise SystemExit(f"{location}:{line}: a marked message must be one literal string")
            catalogue.add(message, locations=[(location, line)], flags=_flags(message))
    return {part: catalogue for part, catalogue in found.items() if len(catalogue)}


def _flags(message: str) -> list[str]:
    return ["python-brace-format"] if fields(message) else []


def fields(text: str) -> list[str]:
    """The ``{fields}`` of a message template with their format specifications, sorted
    (``{{`` and ``}}`` are literal).

    >>> fields("{name} = {value} is not right: {value} in {seconds:g} s")
    ['name', 'seconds:g', 'value', 'value']
    >>> fields("a {{literal}} brace")
    []
    """
    try:
        return sorted(
            f"{name}:{spec}" if spec else name
            for _, name, spec, _ in string.Formatter().parse(text)
            if name is not None
        )
    except ValueError as error:
        return [f"<unreadable: {error}>"]


def _sample(field: str) -> object:
    """A value a field with this format specification can take (1.5 for ``:g``, ``:.1f``)."""
    spec = field.partition(":")[2]
    return 1.5 if spec and spec[-1] in "eEfFgGn%" else 1 if spec and spec[-1] in "bcdoxX" else "x"


def catalogue_path(language: str, part: str) -> Path:
    return PACKAGE / "locales" / language / "LC_MESSAGES" / f"{part}.po"


def read(path: Path):  # -> babel.messages.catalog.Catalog
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        return read_po(handle, locale=path.parts[-3])


_DATES = re.compile(rb'^"(?:POT-Creation-Date|PO-Revision-Date): .*\n', re.MULTILINE)


def write(path: Path, catalogue) -> bool:
    """Write ``catalogue`` to ``path`` unless only its header's dates would change (so that
    an update that changes no message changes no file); True if written."""
    import io

    from babel.messages.pofile import write_po

    buffer = io.BytesIO()
    write_po(buffer, catalogue, width=0, omit_header=False, ignore_obsolete=True)
    new = buffer.getvalue()
    if path.exists() and _DATES.sub(b"", path.read_bytes()) == _DATES.sub(b"", new):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(new)
    return True


def update(languages: Iterable[str] = LANGUAGES) -> list[Path]:
    """Merge the code's messages into every language's catalogues; returns those written."""
    from babel.messages.catalog import Catalog

    written = []
    found = templates()
    for language in languages:
        for part, template in found.items():
            path = catalogue_path(language, part)
            if path.exists():
                catalogue = read(path)
            else:
                catalogue = Catalog(locale=language, project="course_utils", fuzzy=False)
                catalogue.language_team = "The course team"
                catalogue.last_translator = "The course team"
            catalogue.update(template, no_fuzzy_matching=False)
            write(path, catalogue)
            written.append(path)
        for path in (PACKAGE / "locales" / language / "LC_MESSAGES").glob("*.po"):
            if path.stem not in found:
                path.unlink()
    return written


def problems(languages: Iterable[str] = LANGUAGES) -> list[str]:
    """Why the catalogues do not match the code, or are not finished.

    Each part's catalogue must hold exactly the messages the code marks now (a change
    nobody merged shows up here); every entry must be translated and none fuzzy; a
    translation must keep its message's ``{fields}`` (no more, no fewer) and be a valid
    template; a translation of a message with words must have Korean in it; one English
    message must have one translation in all catalogues; and translations use the course's
    Korean terms (:func:`term_problems`).
    """
    found = templates()
    result = []
    for language in languages:
        seen: dict[str, tuple[str, str]] = {}
        folder = PACKAGE / "locales" / language / "LC_MESSAGES"
        existing = {p.stem: p for p in folder.glob("*.po")}
        for part in sorted(set(found) - set(existing)):
            result.append(f"{language}/{part}.po: missing (run: python tools/messages.py update)")
        for part in sorted(set(existing) - set(found)):
            result.append(f"{language}/{part}.po: no code marks messages for it any more")
        for part in sorted(set(found) & set(existing)):
            wanted = {m.id for m in found[part] if m.id}
            catalogue = read(existing[part])
            have = {m.id for m in catalogue if m.id}
            if wanted != have:
                result.append(
                    f"{language}/{part}.po: {len(wanted - have)} new and {len(have - wanted)} "
                    "removed messages not merged (run: python tools/messages.py update)"
                )
            for message in catalogue:
                if not message.id:
                    continue
                where = f"{language}/{part}.po, line {message.lineno}"
                if message.fuzzy:
                    result.append(f"{where}: fuzzy (the English changed): {message.id[:70]!r}")
                    continue
                if not message.string:
                    result.append(f"{where}: not translated: {message.id[:70]!r}")
                    continue
                if fields(message.id) != fields(message.string):
                    result.append(
                        f"{where}: the fields differ: English {fields(message.id)}, "
                        f"translation {fields(message.string)}"
                    )
                try:
                    message.string.format(
                        **{f.partition(":")[0]: _sample(f) for f in fields(message.id)}
                    )
                except (ValueError, KeyError, IndexError) as error:
                    result.append(f"{where}: not a valid template ({error})")
                words = re.sub(r"\{[^{}]*\}|`[^`]*`", "", message.id)
                if (
                    language == "ko"
                    and re.search(r"[A-Za-z]{3,}", words)
                    and not HANGUL.search(message.string)
                ):
                    result.append(f"{where}: no Korean in the translation of {message.id[:70]!r}")
                earlier = seen.get(message.id)
                if earlier and earlier[0] != message.string:
                    result.append(
                        f"{where}: translated differently in {earlier[1]}: {message.id[:70]!r}"
                    )
                seen.setdefault(message.id, (message.string, f"{part}.po"))
    return result + term_problems(languages)


_CODE = re.compile(r"[\w.]+\([^()]*\)|\b\w*_\w*\b|\.\w+", re.ASCII)


def _code_marked(text: str) -> str:
    """``text`` with what reads as code (calls, names with an underscore, attributes) in
    backticks, so that the term rules leave it alone: ``call .fit(...)`` is code, not the
    verb "fit"."""
    return _CODE.sub(lambda found: f"`{found.group()}`", text.replace("`", ""))


def term_problems(languages: Iterable[str] = LANGUAGES) -> list[str]:
    """Where a translation breaks the course's Korean terms (``locales/ko/terms.toml``
    and the glossary; see ``tools/translations.py``): a required term missing or a
    forbidden variant used."""
    import translations

    rules, _exceptions = translations.term_rules()
    md = translations._markdown()
    found = []
    for language in languages:
        for path in sorted((PACKAGE / "locales" / language / "LC_MESSAGES").glob("*.po")):
            for message in read(path):
                if not message.id or not message.string:
                    continue
                for problem in translations.term_problems(
                    _code_marked(message.id), _code_marked(message.string), rules, md
                ):
                    found.append(f"{language}/{path.name}, line {message.lineno}: {problem}")
    return found


def stats(languages: Iterable[str] = LANGUAGES) -> list[tuple[str, int, int, int]]:
    """(catalogue, messages, translated, fuzzy) for every catalogue."""
    rows = []
    for language in languages:
        for path in sorted((PACKAGE / "locales" / language / "LC_MESSAGES").glob("*.po")):
            messages = [m for m in read(path) if m.id]
            rows.append(
                (
                    f"{language}/{path.name}",
                    len(messages),
                    sum(1 for m in messages if m.string and not m.fuzzy),
                    sum(1 for m in messages if m.fuzzy),
                )
            )
    return rows


def stats_table(rows: Sequence[tuple[str, int, int, int]]) -> str:
    lines = ["| catalogue | messages | translated | fuzzy |", "| --- | ---: | ---: | ---: |"]
    for name, count, done, fuzzy in rows:
        lines.append(f"| {name} | {count} | {done} | {fuzzy} |")
    totals = [sum(row[i] for row in rows) for i in (1, 2, 3)]
    lines.append(f"| **total** | {totals[0]} | {totals[1]} | {totals[2]} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["update", "check", "stats"])
    args = parser.parse_args(argv)
    if args.command == "update":
        written = update()
        print(f"Updated {len(written)} catalogues.")
        print(stats_table(stats()))
    elif args.command == "stats":
        print(stats_table(stats()))
    else:
        found = problems()
        print(stats_table(stats()))
        if found:
            print(f"\n{len(found)} problems in the message catalogues:")
            print("\n".join(f"  {p}" for p in found[:80]))
            return 1
        print("Every message catalogue is complete and current.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
