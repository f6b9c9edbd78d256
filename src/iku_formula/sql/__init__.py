"""The catalog in SQL: views for DuckDB, PostgreSQL and MySQL/MariaDB, and running them.

Needs the ``sql`` extra (sqlglot; duckdb, SQLAlchemy and the server drivers to run them).
See :meth:`Catalog.to_sql <iku_formula.Catalog.to_sql>` and
:meth:`Catalog.evaluate_sql <iku_formula.Catalog.evaluate_sql>`.
"""
