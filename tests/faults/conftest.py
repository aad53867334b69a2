import os.path as osp
import sys

import pytest

sys.path.insert(0, osp.join(osp.dirname(osp.dirname(__file__)), 'tools'))

from tool_runner import run  # noqa: E402


@pytest.fixture(scope='session')
def resume_data(tmp_path_factory):
    """6 classes (3 base of 6 samples: 3 iterations of 6 per epoch)."""
    out = tmp_path_factory.mktemp('resume_data')
    result = run([
        sys.executable, 'tools/data/make_synthetic.py', '--out-dir',
        str(out), '--num-classes', '6', '--num-novel', '3',
        '--samples-per-class', '6', '--subjects', '3', '--frames', '24',
        '--annotations', str(out / 'annotations.json')
    ])
    assert result.returncode == 0, result.stderr[-3000:]
    return out
