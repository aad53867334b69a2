import pytest

from tool_runner import make_synthetic


@pytest.fixture(scope='session')
def odd_synthetic(tmp_path_factory):
    """7 classes (4 base, 3 novel) of 5 samples: the 15 novel samples and
    the 35 samples of base + novel are odd, so 2 ranks' samplers pad."""
    return make_synthetic(tmp_path_factory.mktemp('odd_synthetic'), 7, 3, 5)
