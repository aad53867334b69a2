import os.path as osp
import sys

import pytest

sys.path.insert(0, osp.join(osp.dirname(osp.dirname(__file__)), 'tools'))

from tool_runner import run  # noqa: E402


@pytest.fixture(scope='session')
def odd_synthetic(tmp_path_factory):
    """7 classes (4 base, 3 novel) of 5 samples: the 15 novel samples and
    the 35 samples of base + novel are odd, so 2 ranks' samplers pad."""
    out = tmp_path_factory.mktemp('odd_synthetic')
    result = run([
        sys.executable, 'tools/data/make_synthetic.py', '--out-dir',
        str(out), '--num-classes', '7', '--num-novel', '3',
        '--samples-per-class', '5', '--subjects', '3', '--frames', '24',
        '--annotations', str(out / 'annotations.json')
    ])
    assert result.returncode == 0, result.stderr[-3000:]
    return out
