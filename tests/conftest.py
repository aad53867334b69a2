"""Shared fixtures. Importing the plugin first applies the compat fixes."""
import os.path as osp

import pytest

import crossglg_mmaction  # noqa: F401
from tool_runner import make_synthetic

# the bad-input suite's fixtures (ws, llm, bad_input_run)
pytest_plugins = ('bad_input', )

SHARED_DATA = osp.abspath(
    osp.join(osp.dirname(__file__), '..', '..', 'shared', 'data'))


@pytest.fixture(scope='session')
def shared_data():
    """Path to the project's shared test data; skips when it is absent."""
    if not osp.isdir(SHARED_DATA):
        pytest.skip(f'shared test data not found at {SHARED_DATA}')
    return SHARED_DATA


@pytest.fixture(scope='session')
def tiny_synthetic(tmp_path_factory):
    """A 6-class synthetic set (3 base, 3 novel, 6 samples each)."""
    return make_synthetic(tmp_path_factory.mktemp('tiny_synthetic'), 6, 3, 6)
