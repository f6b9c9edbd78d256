"""The catalog format as data: every table and field a catalog file may hold.

This table is the one definition of the format. The loader (:mod:`.load`) takes from it
which keys a table allows (unknown ones get a did-you-mean), which are required, what type
each value must have, its bounds and its allowed values; ``docs/catalog-format.md`` carries
the key tables :func:`markdown` renders from it (``python -m iku_formula.catalog.schema``
prints them; a test keeps the page up to date). The catalog file's own header keeps a
hand-written syntax summary with examples; a test checks that it names every table and key
here and every allowed value.

**Defaults live in the model, not here.** A field absent from the file is not passed to the
model at all, so the attrs default of the model attribute it fills applies; :meth:`Table.default`
*reads* that default (``attrs.fields``) for the documentation. The other way round (the schema
holding defaults and the model reading them) would make the model, whose objects are public
and built without any catalog (``Input("n", "N", "orang", InputKind.COUNT)``), depend on the
file format. Allowed values of an enumerated field are the members of its enum in
:mod:`iku_formula.model` or :mod:`iku_formula.achievement`, never retyped here; the bounds
of ``places`` come from :data:`~iku_formula.achievement.MAX_PLACES`.
"""

from __future__ import annotations

__all__ = [
    "ACHIEVEMENT",
    "BANDS",
    "CATALOG",
    "COMPONENTS",
    "INDICATORS",
    "INPUTS",
    "NO_DEFAULT",
    "OBJECTIVES",
    "PREDIKAT",
    "RULES",
    "TABLES",
    "TOP_LEVEL",
    "VALUE_DOCS",
    "Field",
    "Language",
    "Shape",
    "Table",
    "markdown",
]

import enum
import sys
from collections.abc import Iterator, Mapping
from typing import Any, Literal

import attrs

from ..achievement import MAX_PLACES, AchievementRule, LowerIsBetter, Polarity, Rounding
from ..language.parse import COMPARISONS
from ..model import (
    Component,
    Indicator,
    Input,
    InputKind,
    Objective,
    RollUp,
    Rule,
    TimeRule,
    UndefinedParts,
    UnitRule,
)
from ..predikat import Band, Basis, PredikatScale
from .registry import Catalog

Language = Literal["en", "id"]


class _NoDefault:
    """The marker of a field without a default: required, or absent meaning nothing."""

    def __repr__(self) -> str:
        return "NO_DEFAULT"


NO_DEFAULT = _NoDefault()
"""What :meth:`Table.default` returns for a field the model gives no default."""


@attrs.frozen
class Field:
    """One key of a table: its TOML type(s), whether it is required, its values and its doc."""

    key: str
    """The TOML key."""
    types: tuple[type, ...]
    """The TOML types accepted: ``str``, ``int``, ``(int, float)`` or ``list``."""
    doc: str
    """One line in English."""
    doc_id: str
    """The same line in Indonesian, for ``docs/catalog-format.md``."""
    required: bool = False
    required_when: tuple[str, str] | None = None
    """For an optional field that some other value makes necessary: when (English, Indonesian)."""
    choices: type[enum.Enum] | None = None
    """For text naming one of a set: the enum whose values are allowed."""
    items: type | None = None
    """For a list: the type of every item."""
    bounds: tuple[int | None, int | None] = (None, None)
    """For an integer: the smallest and largest allowed (None: unbounded)."""
    may_be_empty: bool = False
    """Whether text may be empty or blank (only a verbatim copy of the source may)."""
    attribute: str | None = attrs.field()
    """The model attribute the field fills (its default is the field's), or None."""
    derived: bool = False
    """Whether the loader computes the attribute from the value (a formula from its text,
    an objective from its id) instead of passing the value as it is."""

    @attribute.default
    def _same_as_key(self) -> str | None:
        return self.key


class Shape(enum.Enum):
    """How a table appears in the file."""

    TABLE = "table"
    """Once: ``[catalog]``."""
    LIST = "list"
    """An array of tables, one entry after the other: ``[[indicators]]``."""
    NAMED = "named"
    """A table of tables, each under its name: ``[inputs.NAME]``."""


@attrs.frozen
class Table:
    """A table of the format: where it is, how it appears, its fields and the model it builds."""

    key: str
    shape: Shape
    doc: str
    doc_id: str
    fields: tuple[Field, ...]
    model: type | None = None
    """The attrs class the entries' fields fill (their defaults are this class's)."""
    required: bool = False
    """Whether the file must have it (a list: with at least one entry)."""
    parent: str | None = None
    """The key of the table it sits in (``achievement`` is in ``catalog``); None: top level."""
    tables: tuple[Table, ...] = ()
    """Tables nested in this one."""
    most: int | None = None
    """For a list or a table of named tables: the most entries a file may give (far above
    any real catalog, so that a hostile file is refused before any work)."""
    in_each: bool = False
    """Whether the table sits in each entry of its parent, a table of named tables:
    ``[[predikat.NAME.bands]]``."""

    def __attrs_post_init__(self) -> None:
        keys = [field.key for field in self.fields] + [table.key for table in self.tables]
        if len(set(keys)) != len(keys):
            raise ValueError(f"table {self.key!r} names a key twice")
        if self.model is not None:
            names = attrs.fields_dict(self.model)
            for field in self.fields:
                if field.attribute is not None and field.attribute not in names:
                    raise ValueError(f"{self.model.__name__} has no attribute {field.attribute!r}")

    @property
    def path(self) -> str:
        """The dotted TOML path: ``catalog.achievement``, ``predikat.NAME.bands``."""
        if self.parent is None:
            return self.key
        return f"{self.parent}.NAME.{self.key}" if self.in_each else f"{self.parent}.{self.key}"

    def heading(self, language: Language = "en") -> str:
        """The table as written in a file: ``[catalog]``, ``[[indicators]]``, ``[inputs.NAME]``."""
        if self.shape is Shape.LIST:
            heading = f"[[{self.path}]]"
        elif self.shape is Shape.NAMED:
            heading = f"[{self.path}.NAME]"
        else:
            heading = f"[{self.path}]"
        return heading if language == "en" else heading.replace(".NAME", ".NAMA")

    @property
    def location(self) -> str:
        """How problems with the table as a whole name it: ``[inputs]``, ``[[indicators]]``."""
        return f"[[{self.path}]]" if self.shape is Shape.LIST else f"[{self.path}]"

    @property
    def toml_type(self) -> type:
        """What the table's own value is in parsed TOML: a list of tables or a table."""
        return list if self.shape is Shape.LIST else dict

    @property
    def keys(self) -> frozenset[str]:
        """Every key an entry may hold: its fields and the tables nested in it."""
        return frozenset(field.key for field in self.fields) | {t.key for t in self.tables}

    def __getitem__(self, key: str) -> Field:
        for field in self.fields:
            if field.key == key:
                return field
        raise KeyError(f"table {self.heading()} has no field {key!r}")

    def default(self, field: Field) -> Any:
        """The value the model takes when ``field`` is absent, or NO_DEFAULT (see the module)."""
        if self.model is None or field.attribute is None:
            return NO_DEFAULT
        default: Any = attrs.fields_dict(self.model)[field.attribute].default
        if default is attrs.NOTHING:
            return NO_DEFAULT
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            return default.factory()
        return default

    def arguments(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The model's keyword arguments for the checked ``values`` (key -> value) present.

        Derived fields and fields without an attribute are left out: the loader computes
        those. An absent field is not passed, so the model's default applies.
        """
        return {
            field.attribute: values[field.key]
            for field in self.fields
            if field.attribute is not None and not field.derived and field.key in values
        }

    def walk(self) -> Iterator[Table]:
        """This table, then the tables nested in it, depth first."""
        yield self
        for table in self.tables:
            yield from table.walk()


_COMPARISONS = ", ".join(f"`{comparison}`" for comparison in COMPARISONS)
_TEXT = (str,)
_INTEGER = (int,)
_NUMBER = (int, float)
_LIST = (list,)

ACHIEVEMENT = Table(
    "achievement",
    Shape.TABLE,
    "how capaian (achievement) is computed and shown",
    "cara capaian dihitung dan ditampilkan",
    (
        Field(
            "cap",
            _NUMBER,
            "capaian never exceeds this percentage, a positive number; absent: no cap",
            "capaian tidak melebihi persentase ini (bilangan positif); tanpa kunci ini: "
            "tanpa batas",
        ),
        Field(
            "rounding",
            _TEXT,
            "how numbers shown to people are rounded (never the exact values)",
            "pembulatan angka yang ditampilkan (nilai eksak tidak pernah dibulatkan)",
            choices=Rounding,
        ),
        Field(
            "places",
            _INTEGER,
            "decimals shown",
            "jumlah desimal yang ditampilkan",
            bounds=(0, MAX_PLACES),
        ),
        Field(
            "minimize",
            _TEXT,
            'the capaian formula of an indicator with polarity = "minimize"',
            'rumus capaian indikator dengan `polarity = "minimize"`',
            choices=LowerIsBetter,
        ),
    ),
    model=AchievementRule,
    parent="catalog",
)

CATALOG = Table(
    "catalog",
    Shape.TABLE,
    "what the catalog is",
    "identitas katalog",
    (
        Field("title", _TEXT, "what this catalog is", "judul katalog", required=True),
        Field("year", _INTEGER, "reporting year", "tahun pelaporan", required=True),
        Field(
            "source",
            _TEXT,
            "path, relative to the catalog file, of the verbatim source table",
            "jalur tabel sumber yang disalin kata demi kata, relatif terhadap berkas katalog",
        ),
        Field(
            "predikat",
            _TEXT,
            "NAME of the [predikat.NAME] scale (on capaian) of every indicator naming none; "
            "absent: no predikat",
            "NAMA skala `[predikat.NAMA]` (atas capaian) untuk setiap indikator yang tidak "
            "menyebut skalanya; tanpa kunci ini: tanpa predikat",
            attribute="default_predikat",
            derived=True,
        ),
    ),
    model=Catalog,
    required=True,
    tables=(ACHIEVEMENT,),
)

OBJECTIVES = Table(
    "objectives",
    Shape.LIST,
    "one per sasaran kegiatan (objective), in source order",
    "satu per sasaran kegiatan, urut seperti sumber",
    (
        Field(
            "id",
            _TEXT,
            "short code `[a-z][a-z0-9_]*` that an indicator's `objective` names",
            "kode singkat `[a-z][a-z0-9_]*` yang disebut `objective` indikator",
            required=True,
        ),
        Field(
            "name",
            _TEXT,
            "the sasaran exactly as written in the source",
            "sasaran persis seperti tertulis di sumber",
            required=True,
        ),
    ),
    model=Objective,
    most=1000,
)

INPUTS = Table(
    "inputs",
    Shape.NAMED,
    "one per realised quantity (realisasi) the formulas use; NAME is `[a-z][a-z0-9_]*`",
    "satu per besaran realisasi yang dipakai formula; NAMA berbentuk `[a-z][a-z0-9_]*`",
    (
        Field(
            "label",
            _TEXT,
            "Indonesian label (the source's words, spelling corrected)",
            "label berbahasa Indonesia (kata-kata sumber, ejaannya dibetulkan)",
            required=True,
        ),
        Field(
            "unit", _TEXT, "unit as people read it", "satuan seperti dibaca orang", required=True
        ),
        Field(
            "kind",
            _TEXT,
            "what values the input takes",
            "jenis nilai masukan",
            required=True,
            choices=InputKind,
        ),
        Field(
            "minimum",
            _NUMBER,
            "lowest value of a score; not allowed for other kinds",
            "nilai terendah skor; tidak boleh untuk jenis lain",
            required_when=(
                f'kind = "{InputKind.SCORE.value}"',
                f'bila `kind = "{InputKind.SCORE.value}"`',
            ),
        ),
        Field(
            "maximum",
            _NUMBER,
            "highest value of a score, above minimum; not allowed for other kinds",
            "nilai tertinggi skor, di atas `minimum`; tidak boleh untuk jenis lain",
            required_when=(
                f'kind = "{InputKind.SCORE.value}"',
                f'bila `kind = "{InputKind.SCORE.value}"`',
            ),
        ),
        Field("note", _TEXT, "why this input is what it is", "alasan di balik masukan ini"),
        Field(
            "over_time",
            _TEXT,
            "how quarterly (triwulan I-IV) values combine into the year and into quarter to date",
            "cara nilai triwulan I-IV digabung menjadi setahun dan sampai triwulan ini",
            choices=TimeRule,
        ),
        Field(
            "over_units",
            _TEXT,
            "how the values of work units (UPT) combine into the Kantor Wilayah",
            "cara nilai unit kerja (UPT) digabung menjadi Kantor Wilayah",
            choices=UnitRule,
        ),
        Field(
            "weight",
            _TEXT,
            "the input weighting this one (e.g. the respondents of the same survey)",
            "masukan yang menjadi bobot masukan ini (misalnya responden survei yang sama)",
            required_when=(
                f'only and always with over_units = "{UnitRule.WEIGHTED_MEAN.value}"',
                f'hanya dan selalu bila `over_units = "{UnitRule.WEIGHTED_MEAN.value}"`',
            ),
        ),
    ),
    model=Input,
    most=2000,
)

COMPONENTS = Table(
    "components",
    Shape.NAMED,
    "a named sub-expression (e.g. a sub-index) that formulas may use by NAME",
    "sub-ekspresi bernama (misalnya sub-indeks) yang dapat dipakai formula lewat NAMA",
    (
        Field("label", _TEXT, "Indonesian label", "label berbahasa Indonesia", required=True),
        Field(
            "formula",
            _TEXT,
            "in the formula language",
            "dalam bahasa formula",
            required=True,
            derived=True,
        ),
        Field("note", _TEXT, "why the component is what it is", "alasan di balik komponen ini"),
    ),
    model=Component,
    most=1000,
)

INDICATORS = Table(
    "indicators",
    Shape.LIST,
    "one per IKU, in source order",
    "satu per IKU, urut seperti sumber",
    (
        Field(
            "number",
            _INTEGER,
            "the number in the source table; `catalog[23]` uses it",
            "nomor di tabel sumber; `catalog[23]` memakai nomor ini",
            required=True,
            bounds=(1, None),
        ),
        Field(
            "key",
            _TEXT,
            "identifier `[a-z][a-z0-9_]*` under which other formulas may reference it",
            "nama `[a-z][a-z0-9_]*` yang dapat dirujuk formula lain",
            required=True,
        ),
        Field(
            "name",
            _TEXT,
            "the indicator exactly as written in the source (typos kept)",
            "nama indikator persis seperti sumber (termasuk salah ketiknya)",
            required=True,
        ),
        Field(
            "label",
            _TEXT,
            "the name with its spelling corrected",
            "nama dengan ejaan yang dibetulkan",
        ),
        Field(
            "objective",
            _TEXT,
            "`id` of its sasaran under `[[objectives]]`",
            "`id` sasarannya di `[[objectives]]`",
            required=True,
            derived=True,
        ),
        Field(
            "target",
            _TEXT,
            'the target exactly as written ("3,1 Indeks", "5%"); several parts are separated '
            'by " / "',
            'teks target persis ("3,1 Indeks" dengan koma desimal, "5%", "20 Orang"); '
            'beberapa bagian dipisah " / "',
            required=True,
            derived=True,
        ),
        Field(
            "target_unit",
            _TEXT,
            'the unit when the target text has none ("3.3")',
            'satuan bila teks target tidak menyebutnya ("3.3")',
            attribute=None,
        ),
        Field(
            "target_part_formulas",
            _LIST,
            "the formula measuring each part of the target after the first",
            "formula setiap bagian target setelah yang pertama",
            required_when=(
                "the target has several parts",
                "bila target terdiri atas beberapa bagian",
            ),
            items=str,
            attribute="part_formulas",
            derived=True,
        ),
        Field(
            "polarity",
            _TEXT,
            "whether a higher or a lower realisasi is better",
            "arah realisasi yang lebih baik",
            required=True,
            choices=Polarity,
        ),
        Field(
            "formula",
            _TEXT,
            "the realisasi, in the formula language",
            "realisasi, dalam bahasa formula",
            required=True,
            derived=True,
        ),
        Field(
            "source_formula",
            _TEXT,
            "the source's formulasi perhitungan word for word; omitted where it gives none",
            "formulasi perhitungan sumber kata demi kata; dihilangkan bila sumber tidak "
            "memberikannya",
            may_be_empty=True,
        ),
        Field(
            "inputs",
            _LIST,
            "every input the formulas use once references are substituted: no more, no fewer",
            "semua masukan yang dipakai formula setelah rujukan disubstitusikan: tidak lebih, "
            "tidak kurang",
            required=True,
            items=str,
            attribute="input_specs",
            derived=True,
        ),
        Field(
            "undefined_parts",
            _TEXT,
            "what `rata_rata` does with a part that is undefined (a zero denominator)",
            "perlakuan `rata_rata` terhadap bagian yang tidak terdefinisi (penyebut nol)",
            choices=UndefinedParts,
        ),
        Field(
            "roll_up",
            _TEXT,
            "how the indicator rolls up over work units",
            "cara indikator digabung antar-unit kerja",
            choices=RollUp,
        ),
        Field(
            "notes",
            _LIST,
            "every interpretation of the source, shown in the docs",
            "setiap tafsiran terhadap sumber, ditampilkan di dokumentasi",
            items=str,
        ),
        Field(
            "predikat",
            _TEXT,
            "NAME of its [predikat.NAME] scale; absent: the catalog's `predikat`",
            "NAMA skala `[predikat.NAMA]` indikator ini; tanpa kunci ini: `predikat` katalog",
            derived=True,
        ),
    ),
    model=Indicator,
    required=True,
    most=1000,
)

RULES = Table(
    "rules",
    Shape.LIST,
    "consistency rules between inputs, reported as warnings (never blocking an evaluation)",
    "aturan konsistensi antar-masukan, dilaporkan sebagai peringatan (tidak menghentikan "
    "perhitungan)",
    (
        Field(
            "rule",
            _TEXT,
            f"two formulas joined by one comparison ({_COMPARISONS}); every name is an input",
            f"dua formula yang digabung satu pembanding ({_COMPARISONS}); setiap nama adalah "
            "masukan",
            required=True,
            attribute="text",
        ),
        Field("note", _TEXT, "why the rule holds by definition", "alasan aturan itu berlaku"),
    ),
    model=Rule,
    most=1000,
)

_BAND_DOCS = {
    "code": ('short code: "A"', 'kode singkat: "A"'),
    "label": ('what it is called: "Sangat Baik"', 'sebutannya: "Sangat Baik"'),
    "colour": ('its colour in reports, "#rrggbb"', 'warnanya di laporan, "#rrggbb"'),
    "lower": (
        "lowest value in the band, included; absent: unbounded below (lowest band only)",
        "nilai terendah pita, termasuk; tanpa kunci ini: tanpa batas bawah (pita terendah)",
    ),
    "upper": (
        "next band's lower, excluded (the top band holds it); absent: unbounded above",
        "`lower` pita berikutnya, tidak termasuk (pita teratas memuatnya); tanpa kunci ini: "
        "tanpa batas atas",
    ),
}

BANDS = Table(
    "bands",
    Shape.LIST,
    "the bands, each the half-open interval [lower, upper), in any order, without gap or overlap",
    "pita-pita, masing-masing interval setengah terbuka [lower, upper), urutan bebas, tanpa "
    "celah atau tumpang tindih",
    tuple(
        Field(
            key,
            _NUMBER if key in ("lower", "upper") else _TEXT,
            *docs,
            required=key not in ("lower", "upper"),
        )
        for key, docs in _BAND_DOCS.items()
    ),
    model=Band,
    parent="predikat",
    in_each=True,
    most=100,
)

PREDIKAT = Table(
    "predikat",
    Shape.NAMED,
    "a predikat scale: bands on capaian or on realisasi; NAME is `[a-z][a-z0-9_]*`",
    "skala predikat: pita atas capaian atau atas realisasi; NAMA berbentuk `[a-z][a-z0-9_]*`",
    (
        Field(
            "basis", _TEXT, "what it classifies", "yang digolongkan", required=True, choices=Basis
        ),
        Field("label", _TEXT, "what people call the scale", "nama skala bagi pembaca"),
        Field("note", _TEXT, "where the bands come from", "asal pita-pita dan cara membacanya"),
    ),
    model=PredikatScale,
    tables=(BANDS,),
    most=100,
)

TOP_LEVEL: tuple[Table, ...] = (
    CATALOG,
    OBJECTIVES,
    INPUTS,
    COMPONENTS,
    INDICATORS,
    RULES,
    PREDIKAT,
)
"""The tables at the top level of a file, in the order the loader reads them."""

TABLES: tuple[Table, ...] = tuple(nested for table in TOP_LEVEL for nested in table.walk())
"""Every table, nested ones after their parent, in the order of the documentation."""

VALUE_DOCS: Mapping[enum.Enum, tuple[str, str]] = {
    Rounding.HALF_UP: ("ties away from zero", "setengah ke atas, menjauhi nol"),
    Rounding.TRUNCATE: ("extra digits dropped", "digit lebihnya dibuang"),
    InputKind.COUNT: ("a non-negative integer", "bilangan bulat ≥ 0"),
    InputKind.AMOUNT: ("a non-negative number (e.g. rupiah)", "bilangan ≥ 0, misalnya rupiah"),
    InputKind.SCORE: ("a score within [minimum, maximum]", "skor dalam [minimum, maximum]"),
    TimeRule.SUM: ("a flow: the sum of the quarters", "arus: jumlah triwulan"),
    TimeRule.LAST: ("a stock: the last quarter", "stok: triwulan terakhir"),
    TimeRule.MEAN: ("a level: the mean of the quarters", "tingkat: rata-rata triwulan"),
    UnitRule.SUM: ("the sum over units", "jumlah antar-unit"),
    UnitRule.MEAN: ("the plain mean over units", "rata-rata biasa antar-unit"),
    UnitRule.WEIGHTED_MEAN: (
        "the mean weighted by the input named in `weight`",
        "rata-rata dengan bobot masukan `weight`",
    ),
    Polarity.MAXIMIZE: ("higher is better", "semakin tinggi semakin baik"),
    Polarity.MINIMIZE: ("lower is better", "semakin rendah semakin baik"),
    UndefinedParts.UNDEFINED: ("the mean is undefined too", "rata-ratanya ikut tidak terdefinisi"),
    UndefinedParts.SKIP: ("the mean of the defined parts", "rata-rata bagian yang terdefinisi"),
    RollUp.INPUTS: (
        "inputs combined over units, then the formula once",
        "masukan digabung antar-unit, lalu formula dihitung sekali",
    ),
    RollUp.MEAN_OF_UNITS: (
        "the formula per unit, then their mean",
        "formula per unit, lalu dirata-ratakan",
    ),
    LowerIsBetter.TWO_MINUS_RATIO: (
        "max(0, (2 − r/t) × 100), PermenPANRB",
        "maks(0, (2 − r/t) × 100)",
    ),
    LowerIsBetter.INVERSE_RATIO: (
        "t/r × 100, undefined at r = 0",
        "t/r × 100; r = 0: tak terdefinisi",
    ),
    Basis.CAPAIAN: ("capaian, in percent", "capaian, dalam persen"),
    Basis.REALISASI: ("the realisasi itself (an IKM)", "realisasi itu sendiri (mis. IKM)"),
}
"""What each allowed value of an enumerated field means (English, Indonesian)."""


def markdown(language: Language = "id") -> str:
    """The key tables of the format in Markdown: one overview, then one table per table.

    ``docs/catalog-format.md`` holds the Indonesian rendering between two markers; the
    rendering lives in :mod:`.schema_docs`.
    """
    from .schema_docs import render

    return render(language)


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    sys.stdout.write(markdown("en" if sys.argv[1:] == ["--en"] else "id"))
