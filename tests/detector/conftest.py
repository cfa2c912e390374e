"""Fixtures only detector tests use: blocklist-format readers, synthetic index pages, model files."""

import pytest

from tests.helpers import index_builders as _index_builders
from tests.helpers import list_grammars as _list_grammars
from tests.helpers import models


@pytest.fixture(scope="session")
def list_grammars():
    """The blocklist-format readers of ``tests/helpers/list_grammars.py`` (``parse_abp``, ``GrammarError``, ...)."""
    return _list_grammars


@pytest.fixture(scope="session")
def index_builders():
    """Synthetic pages for index tests: ``page``, ``paragraphs``, ``spin``, ``vocabulary``."""
    return _index_builders


@pytest.fixture(scope="session")
def resealed():
    """``resealed(model, edit)``: the model file after ``edit(payload)``, with a matching checksum."""
    return models.resealed


@pytest.fixture(scope="session")
def model_refusals():
    """``model_refusals(model, [(edit, match), ...])``: each edited file refused, tampered and future ones too."""
    return models.refusals


@pytest.fixture(scope="session")
def samples():
    """``samples(sources, synthetic, corpus=None)``: training samples (seed 5)."""
    return models.samples


@pytest.fixture(scope="session")
def page():
    """``page(url, paragraphs, ...)``: a synthetic article (``tests/helpers/index_builders.py``)."""
    return _index_builders.page


@pytest.fixture(scope="session")
def paragraphs():
    """``paragraphs(seed, n=8, words=60)``: reproducible made-up paragraphs."""
    return _index_builders.paragraphs


@pytest.fixture(scope="session")
def spin():
    """``spin(paragraphs, share, seed=3)``: the paragraphs with a share of their words swapped."""
    return _index_builders.spin
