"""The message catalog's tooling (developers only; needs Babel, in the ``test`` extra).

    python tools/messages.py extract              # source -> locale/id/.../iku_formula.po
    python tools/messages.py merge FILE.po ...    # helpers' translations -> the catalog
    python tools/messages.py compile              # .po -> .mo (the file the package reads)
    python tools/messages.py check                # what the tests check, with the fixes

``extract`` reads every ``_("...")``, ``N_("...")`` and ``ngettext("...", "...", n)`` of
``src/iku_formula``, adds the new message ids to the Indonesian catalog (untranslated) and
drops those no source uses any more; ``merge`` copies the translations of other ``.po`` files
(``locale-additions/*.po``) into it, then runs ``extract`` and ``compile``. The catalog is
written sorted and without source locations, so that branches merge without conflicts.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "src" / "iku_formula"
DOMAIN = "iku_formula"
LANGUAGES = ("id",)
"""The translated languages; English is the message ids themselves."""
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)?[^{}]*\}(?!\})")


def po_path(language: str) -> Path:
    return PACKAGE / "locale" / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    return po_path(language).with_suffix(".mo")


def extracted() -> dict[str | tuple[str, str], list[str]]:
    """Every message id of the source, with the files and lines it is used at."""
    found: dict[str | tuple[str, str], list[str]] = {}
    for filename, line, message, _comments, _context in extract_from_dir(
        PACKAGE, keywords=KEYWORDS, comment_tags=()
    ):
        if isinstance(message, tuple):
            message = (message[0], message[1])
        found.setdefault(message, []).append(f"{filename}:{line}")
    return found


def read_catalog(language: str) -> Catalog:
    path = po_path(language)
    if not path.exists():
        return Catalog(locale=language, domain=DOMAIN, project="iku-formula")
    with path.open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def write_catalog(catalog: Catalog, language: str) -> None:
    path = po_path(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, no_location=True, sort_output=True, ignore_obsolete=True)
    path.write_bytes(buffer.getvalue())


def compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def extract() -> None:
    ids = extracted()
    for language in LANGUAGES:
        catalog = read_catalog(language)
        template = Catalog(domain=DOMAIN)
        for message in ids:
            template.add(message)
        catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
        catalog.obsolete.clear()
        write_catalog(catalog, language)
        missing = [m.id for m in catalog if m.id and not _translated(m)]
        where = po_path(language).relative_to(REPO)
        print(f"{where}: {len(ids)} messages, {len(missing)} untranslated")


def merge(files: Iterable[Path]) -> None:
    for language in LANGUAGES:
        catalog = read_catalog(language)
        for file in files:
            with file.open("rb") as handle:
                addition = read_po(handle, locale=language, domain=DOMAIN)
            for message in addition:
                if not message.id or not _translated(message):
                    continue
                present = catalog.get(message.id)
                if (
                    present is not None
                    and _translated(present)
                    and present.string != message.string
                ):
                    print(
                        f"{file}: {message.id!r}: kept the catalog's translation", file=sys.stderr
                    )
                    continue
                if present is None:
                    catalog[message.id] = Message(message.id, message.string)
                else:  # Catalog.__setitem__ would keep the old (empty) translation
                    present.string = message.string
                    present.flags.discard("fuzzy")
        write_catalog(catalog, language)
    extract()
    compile_all()


def compile_all() -> None:
    for language in LANGUAGES:
        mo_path(language).write_bytes(compiled(read_catalog(language)))
        print(f"compiled {mo_path(language).relative_to(REPO)}")


def _translated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings) and not message.fuzzy


def _ids(message: Message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def _strings(message: Message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields of a format string (``{{`` is a literal brace)."""
    return {match.group(1) or "" for match in PLACEHOLDER.finditer(text)}


def problems(language: str) -> Iterator[str]:
    """What is wrong with a catalog: untranslated, stale or mismatched messages, a stale .mo."""
    ids = extracted()
    catalog = read_catalog(language)
    where = po_path(language).relative_to(REPO)
    present = {message.id: message for message in catalog if message.id}
    for message_id, uses in ids.items():
        message = present.get(message_id)
        if message is None or not _translated(message):
            yield f"{where}: untranslated {message_id!r} (at {uses[0]}): run extract, translate"
    for message_id in present.keys() - ids.keys():
        yield f"{where}: stale {message_id!r} (no source uses it): run extract"
    for message in present.values():
        wanted = set().union(*(placeholders(text) for text in _ids(message)))
        for text in _strings(message):
            if text and placeholders(text) != wanted:
                yield (
                    f"{where}: {message.id!r}: placeholders {sorted(placeholders(text))} "
                    f"in the translation, {sorted(wanted)} in the message id"
                )
    mo = mo_path(language)
    if not mo.exists():
        yield f"{mo.relative_to(REPO)} is missing: run compile"
        return
    with mo.open("rb") as handle:
        shipped = read_mo(handle)
    if _pairs(shipped) != _pairs(catalog):
        yield f"{mo.relative_to(REPO)} differs from its .po: run compile"


def _pairs(catalog: Catalog) -> dict[object, object]:
    def frozen(value: object) -> object:
        return tuple(value) if isinstance(value, list | tuple) else value

    return {
        frozen(message.id): frozen(message.string)
        for message in catalog
        if message.id and message.string
    }


def check() -> int:
    found = [problem for language in LANGUAGES for problem in problems(language)]
    for problem in found:
        print(problem, file=sys.stderr)
    return 1 if found else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tools/messages.py", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("extract", help="update the catalogs from the source")
    merging = commands.add_parser("merge", help="copy translations from other .po files")
    merging.add_argument("files", nargs="+", type=Path)
    commands.add_parser("compile", help="compile the catalogs to .mo")
    commands.add_parser("check", help="untranslated, stale or mismatched messages")
    args = parser.parse_args(argv)
    if args.command == "extract":
        extract()
    elif args.command == "merge":
        merge(args.files)
    elif args.command == "compile":
        compile_all()
    else:
        return check()
    return 0


if __name__ == "__main__":
    sys.exit(main())
