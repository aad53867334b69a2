import sys

import pytest

from tool_runner import run


@pytest.fixture(scope='session')
def tiny_synthetic(tmp_path_factory):
    """A 6-class synthetic set (3 novel) with its annotations, in seconds."""
    out = tmp_path_factory.mktemp('tiny_synthetic')
    result = run([
        sys.executable, 'tools/data/make_synthetic.py', '--out-dir',
        str(out), '--num-classes', '6', '--num-novel', '3',
        '--samples-per-class', '6', '--subjects', '3', '--frames', '24',
        '--annotations', str(out / 'annotations.json')
    ])
    assert result.returncode == 0, result.stderr[-3000:]
    return out
