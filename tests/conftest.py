from pathlib import Path

import pytest

from rules.catalog import load_catalog

ROOT = Path(__file__).resolve().parent.parent
ALL_KINDS = ROOT / "tests" / "catalogs" / "all-kinds.yaml"


@pytest.fixture(scope="session")
def all_kinds():
    return load_catalog(ALL_KINDS)


@pytest.fixture(scope="session")
def syt():
    return load_catalog("syt-2026")
