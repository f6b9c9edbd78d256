"""Running the views on a database and reading back the frame :meth:`Catalog.roll_up` returns.

A DuckDB connection is used as it is; a SQLAlchemy URL (``postgresql+psycopg://...``,
``mysql+pymysql://...``) or engine is opened with SQLAlchemy. The views are run as one
query with WITH clauses, so nothing is created in the database; the table's columns
say which inputs there are (as the frame's columns do for ``roll_up``).
"""

from __future__ import annotations

__all__ = ["dialect_of", "evaluate_sql", "exact_columns", "fetch", "table_columns"]

import functools
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from sqlglot import exp

from .._optional import require
from ..errors import InputError
from .views import output_columns, predikat_column

if TYPE_CHECKING:
    import pandas as pd

    from ..catalog.registry import Catalog


_SQLALCHEMY_NAMES = {"postgresql": "postgres", "mysql": "mysql", "mariadb": "mysql"}


def _is_duckdb(connection: object) -> bool:
    return type(connection).__module__.split(".")[0] in ("duckdb", "_duckdb")


def dialect_of(connection: object) -> str:
    """The dialect of :data:`~iku_formula.sql.views.DIALECTS` a connection speaks."""
    if _is_duckdb(connection):
        return "duckdb"
    engine = _engine(connection)
    name = _SQLALCHEMY_NAMES.get(engine.dialect.name)
    if name is None:
        raise InputError(
            f"no SQL dialect for a {engine.dialect.name} database: the views are written for "
            "DuckDB, PostgreSQL and MySQL/MariaDB",
            inputs=[],
        )
    return name


def _engine(connection: object) -> Any:
    if isinstance(connection, str):
        sqlalchemy = require("sqlalchemy", "sql", "Catalog.evaluate_sql on a database URL")
        return sqlalchemy.create_engine(connection)
    if hasattr(connection, "dialect") and hasattr(connection, "connect"):
        return connection  # a SQLAlchemy engine
    raise InputError(
        "evaluate_sql takes a DuckDB connection, a SQLAlchemy engine or a database URL, "
        f"got {type(connection).__name__}",
        inputs=[],
    )


def fetch(connection: object, query: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The column names and rows of one query."""
    if _is_duckdb(connection):
        cursor: Any = connection.execute(query)  # type: ignore[attr-defined]
        rows = cursor.fetchall()
        return [column[0] for column in cursor.description], rows
    with _engine(connection).connect() as open_connection:
        result = open_connection.exec_driver_sql(query.replace("%", "%%"))
        return list(result.keys()), [tuple(row) for row in result.fetchall()]


def table_columns(connection: object, dialect: str, table: str | PurePath) -> list[str]:
    """The columns of ``table`` (a query that reads no row)."""
    return list(_described(connection, dialect, table))


def _described(connection: object, dialect: str, table: str | PurePath) -> dict[str, str]:
    """Each column of ``table`` and, on DuckDB, its type ("" elsewhere)."""
    from .views import DIALECTS, source_of

    query = exp.select(exp.Star()).from_(source_of(table, DIALECTS[dialect])).where(exp.false())
    text = query.sql(DIALECTS[dialect].sqlglot)
    if _is_duckdb(connection):
        cursor: Any = connection.execute(text)  # type: ignore[attr-defined]
        return {column[0]: str(column[1]) for column in cursor.description}
    names, _ = fetch(connection, text)
    return dict.fromkeys(names, "")


_DUCKDB_INTEGERS = frozenset(
    f"{sign}{size}" for sign in ("", "U") for size in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT")
)
_STORED_SCALE = 10
"""The scale of DuckDB's stored type, DECIMAL(38, 10)."""


def exact_columns(types: dict[str, str]) -> tuple[str, ...]:
    """The DuckDB columns whose sums DuckDB computes exactly within the stored type:
    integers (summed as HUGEINT) and decimals of scale at most 10 (summed as DECIMAL(38, s))."""
    exact = []
    for name, kind in types.items():
        upper = kind.upper().replace(" ", "")
        if upper in _DUCKDB_INTEGERS:
            exact.append(name)
        elif upper.startswith("DECIMAL(") and upper.endswith(")"):
            scale = upper[len("DECIMAL(") : -1].partition(",")[2]
            if scale.isdigit() and int(scale) <= _STORED_SCALE:
                exact.append(name)
    return tuple(exact)


def evaluate_sql(
    catalog: Catalog,
    connection: object,
    table: str | PurePath = "realisasi",
    *,
    unit: str = "unit",
    period: str = "period",
    layout: str = "wide",
) -> pd.DataFrame:
    """The Kanwil's realisasi computed by the views in the database, as ``roll_up`` frames it.

    ``table`` names a table or view; on DuckDB it may be a :class:`~pathlib.Path` of Parquet
    files (a glob too), which DuckDB reads as a stream, larger than memory if need be.
    ``layout="wide"``: one float column per indicator, named by its number (one row);
    ``"long"``: one row per indicator with ``indicator``, ``realisasi``, ``target``,
    ``capaian``, ``status``, ``reason`` and ``predikat`` (the band's code), the numbers as
    the database computed them (Decimal where it is exact).
    """
    pd = require("pandas", "frames", "Catalog.evaluate_sql")
    if layout not in ("wide", "long"):
        raise InputError(f"layout is 'wide' or 'long', got {layout!r}", inputs=[])
    dialect = dialect_of(connection)
    types = _described(connection, dialect, table)
    exact = exact_columns(types) if dialect == "duckdb" else ()
    query, numbers = _kanwil_query(catalog, dialect, table, unit, period, tuple(types), exact)
    names, rows = fetch(connection, query)
    record = dict(zip(names, rows[0], strict=True)) if rows else {}
    if layout == "wide":
        data = {number: [_float(record.get(output_columns(number)[0]))] for number in numbers}
        return pd.DataFrame(data, index=pd.RangeIndex(1), columns=list(numbers), dtype=float)
    long = []
    for number in numbers:
        realisasi, capaian, status, reason = output_columns(number)
        long.append(
            {
                "indicator": number,
                "realisasi": record.get(realisasi),
                "target": catalog[number].target.value,
                "capaian": record.get(capaian),
                "status": record.get(status),
                "reason": record.get(reason),
                "predikat": record.get(predikat_column(number)),
            }
        )
    return pd.DataFrame(long)


@functools.lru_cache(maxsize=16)
def _kanwil_query(
    catalog: Catalog,
    dialect: str,
    table: str | PurePath,
    unit: str,
    period: str,
    columns: tuple[str, ...],
    exact: tuple[str, ...] = (),
) -> tuple[str, tuple[int, ...]]:
    """The Kanwil's query and its indicators (kept: building the views takes a while)."""
    from .views import build_views

    views = build_views(
        catalog, dialect, table, unit=unit, period=period, columns=columns, exact=exact
    )
    return views.query("kanwil"), views.indicators


def _float(value: object) -> float:
    return float("nan") if value is None else float(value)  # type: ignore[arg-type]
