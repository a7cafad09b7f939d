import pytest

from rules.load import load_catalog
from tests.helpers import ALL_KINDS


@pytest.fixture(scope="session")
def all_kinds():
    return load_catalog(ALL_KINDS)


@pytest.fixture(scope="session")
def syt():
    return load_catalog("syt-2026")
