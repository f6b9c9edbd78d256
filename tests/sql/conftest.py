"""The databases the SQL views run on: DuckDB in process, PostgreSQL and MariaDB servers.

The servers' SQLAlchemy URLs come from IKU_TEST_POSTGRES_URL and IKU_TEST_MARIADB_URL
(``.ci/run`` starts both and sets them). Without a URL the server's tests skip, unless CI
is set: then they fail, because CI must really run them.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import pytest

duckdb = pytest.importorskip("duckdb")
sqlalchemy = pytest.importorskip("sqlalchemy")
pytest.importorskip("sqlglot")

CI = bool(os.environ.get("CI"))
SERVERS = {"postgres": "IKU_TEST_POSTGRES_URL", "mysql": "IKU_TEST_MARIADB_URL"}
DATABASES = ("duckdb", "postgres", "mysql")

TOLERANCE = {"duckdb": 1e-12, "postgres": 1e-14, "mysql": 1e-20}
"""Relative difference allowed from the exact Fraction, per engine (see docs/aplikasi-lain.md):
DuckDB divides in DOUBLE; PostgreSQL rounds a quotient to 16 or more significant digits;
MariaDB to 30 decimals."""


@attrs.define
class Database:
    """One database with a table of realisasi to fill."""

    dialect: str
    connection: Any
    """A DuckDB connection, or a SQLAlchemy engine."""

    def execute(self, *statements: str) -> None:
        if self.dialect == "duckdb":
            for statement in statements:
                self.connection.execute(statement)
            return
        with self.connection.begin() as open_connection:
            for statement in statements:
                open_connection.exec_driver_sql(statement.replace("%", "%%"))

    def query(self, statement: str) -> tuple[list[str], list[tuple[Any, ...]]]:
        from iku_formula.sql.run import fetch

        return fetch(self.connection, statement)

    def load(
        self, rows: Sequence[dict[str, Any]], inputs: Sequence[str], table: str = "realisasi"
    ) -> None:
        """(Re)create ``table`` with exact DECIMAL input columns and insert ``rows``."""
        quote = "`" if self.dialect == "mysql" else '"'

        def name(text: str) -> str:
            return quote + text.replace(quote, quote * 2) + quote

        columns = [f"{name('unit')} VARCHAR(100)", f"{name('period')} INTEGER"]
        columns += [f"{name(input_)} DECIMAL(30, 8)" for input_ in inputs]
        statements = [
            f"DROP TABLE IF EXISTS {name(table)}",
            f"CREATE TABLE {name(table)} ({', '.join(columns)})",
        ]
        if rows:
            names = ["unit", "period", *inputs]
            values = ", ".join(
                "(" + ", ".join(_literal(row.get(column)) for column in names) + ")" for row in rows
            )
            statements.append(
                f"INSERT INTO {name(table)} ({', '.join(map(name, names))}) VALUES {values}"
            )
        self.execute(*statements)


def _literal(value: object) -> str:
    """A test value in SQL (the tests' own data: units are plain letters)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "NULL"
    if isinstance(value, str):
        assert value.isalnum()
        return f"'{value}'"
    if isinstance(value, Fraction):  # the tests' values have exact decimals (k/4, k/8)
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        assert Fraction(exact) == value
        return str(exact)
    return str(Decimal(str(value)) if isinstance(value, float) else value)


def _server(dialect: str) -> Any:
    variable = SERVERS[dialect]
    url = os.environ.get(variable)
    if not url:
        reason = f"{variable} is not set: no {dialect} server to test on"
        if CI:
            pytest.fail(f"{reason}; CI is set, so the server tests must run")
        pytest.skip(reason)
    engine = sqlalchemy.create_engine(url)
    try:
        with engine.connect():
            pass
    except sqlalchemy.exc.OperationalError as error:
        if CI:
            pytest.fail(f"cannot reach the {dialect} server at {variable}: {error}")
        pytest.skip(f"cannot reach the {dialect} server at {variable}")
    return engine


@pytest.fixture(scope="session", params=DATABASES)
def database(request: pytest.FixtureRequest) -> Iterator[Database]:
    """Each database in turn."""
    dialect = request.param
    if dialect == "duckdb":
        connection = duckdb.connect()
        yield Database(dialect, connection)
        connection.close()
        return
    engine = _server(dialect)
    yield Database(dialect, engine)
    engine.dispose()


@pytest.fixture(scope="session")
def duck() -> Iterator[Database]:
    """DuckDB alone (in process, always there)."""
    connection = duckdb.connect()
    yield Database("duckdb", connection)
    connection.close()
