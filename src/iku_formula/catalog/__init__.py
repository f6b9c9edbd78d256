"""Catalogs: the schema of a catalog file, its loader, and the immutable :class:`Catalog`.

Definitions apart from the registry that uses them (as pint keeps them): the loader
turns a TOML file into frozen :mod:`iku_formula.model` objects; a :class:`Catalog`
holds them and is what every engine evaluates.
"""

from __future__ import annotations

__all__ = ["BUNDLED_CATALOG", "Catalog", "bundled_catalog_path", "load_catalog"]

from .registry import BUNDLED_CATALOG, Catalog, bundled_catalog_path, load_catalog
