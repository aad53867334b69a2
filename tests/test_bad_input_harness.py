"""The bad-input suite's file checks can fail: a fragment or a leftover
temporary file is caught (tests/bad_input.py)."""
import numpy as np
import pytest

from bad_input import assert_complete, snapshot


def test_the_write_check_catches_half_written_files(tmp_path):
    """The checks above can fail: a fragment or a temporary file is caught.
    """
    before = snapshot(str(tmp_path))
    with open(tmp_path / 'bank.npz', 'wb') as f:
        np.savez(f, labels=np.arange(3))
    data = (tmp_path / 'bank.npz').read_bytes()
    (tmp_path / 'bank.npz').write_bytes(data[:len(data) // 2])
    (tmp_path / '.bank.npz.x1y2.tmp').write_bytes(data)
    assert set(snapshot(str(tmp_path))) - set(before) == {
        'bank.npz', '.bank.npz.x1y2.tmp'}
    with pytest.raises(Exception):
        assert_complete(str(tmp_path / 'bank.npz'))
    with pytest.raises(AssertionError, match='temporary file left'):
        assert_complete(str(tmp_path / '.bank.npz.x1y2.tmp'))
