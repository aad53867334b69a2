"""The UTD-MHAD converter refuses damaged, foreign and malformed .mat files,
naming the file, the key and what was expected, and writes nothing."""
import os.path as osp
import re
import runpy
import sys

import numpy as np
import pytest
from scipy.io import savemat

from crossglg_mmaction.datasets.converters import convert_utdmhad

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOL = osp.join(ROOT, 'tools', 'data', 'utdmhad_to_pickle.py')
GOOD = 'a1_s1_t1_skeleton.mat'
BAD = 'a2_s1_t1_skeleton.mat'


def skeleton(frames=4):
    return np.random.default_rng(frames).normal(size=(20, 3, frames))


def truncated(path):
    savemat(path, {'d_skel': skeleton()})
    with open(path, 'rb') as f:
        head = f.read(300)
    with open(path, 'wb') as f:
        f.write(head)


def raw_bytes(data):

    def write(path):
        with open(path, 'wb') as f:
            f.write(data)

    return write


def with_nan(path):
    values = skeleton()
    values[5, 1, 2] = np.nan
    savemat(path, {'d_skel': values})


def folder_with(tmp_path, write_bad, name=BAD):
    """A Skeleton folder holding one good file and one written by
    ``write_bad(path)``."""
    src = tmp_path / 'Skeleton'
    src.mkdir()
    savemat(str(src / GOOD), {'d_skel': skeleton()})
    write_bad(str(src / name))
    return src


CASES = {
    'truncated': (truncated, r'not a readable MATLAB file \(OSError'),
    'not-a-mat-file': (
        raw_bytes(b'{"skeletons": []}' * 20),
        r'not a readable MATLAB file \(ValueError: Unknown mat file type'),
    'empty-file': (raw_bytes(b''),
                   r'not a readable MATLAB file \(MatReadError'),
    'foreign-mat': (
        lambda p: savemat(p, {'depth': np.zeros((4, 4))}),
        r"missing key 'd_skel' \(variables: \['depth'\]\); expected a 20 x "
        r'3 x T array of joints x xyz x frames'),
    'too-many-joints': (
        lambda p: savemat(p, {'d_skel': np.zeros((25, 3, 4))}),
        r"key 'd_skel': shape \(25, 3, 4\); expected a 20 x 3 x T array .* "
        r'with T >= 1'),
    'frames-first': (
        lambda p: savemat(p, {'d_skel': np.zeros((4, 20, 3))}),
        r"key 'd_skel': shape \(4, 20, 3\); expected a 20 x 3 x T"),
    'two-coordinates': (
        lambda p: savemat(p, {'d_skel': np.zeros((20, 2, 4))}),
        r"key 'd_skel': shape \(20, 2, 4\)"),
    'four-dimensional': (
        lambda p: savemat(p, {'d_skel': np.zeros((20, 3, 4, 2))}),
        r"key 'd_skel': shape \(20, 3, 4, 2\)"),
    'no-frame': (lambda p: savemat(p, {'d_skel': np.zeros((20, 3, 0))}),
                 r"key 'd_skel': shape \(20, 3, 0\); .* with T >= 1"),
    'nan': (with_nan, r"key 'd_skel': NaN/inf coordinates in frames \[2\]"),
    'float32-overflow': (
        lambda p: savemat(p, {'d_skel': np.full((20, 3, 2), 1e300)}),
        r"key 'd_skel': NaN/inf coordinates in frames \[0, 1\]"),
    'text': (lambda p: savemat(p, {'d_skel': 'head'}),
             r"key 'd_skel': <U4 values; expected a 20 x 3 x T array"),
    'cell': (lambda p: savemat(p, {'d_skel': np.array([[1, 'a']],
                                                      dtype=object)}),
             r"key 'd_skel': object values"),
}


@pytest.mark.parametrize('case', sorted(CASES))
def test_bad_file_is_named_and_nothing_is_written(tmp_path, case):
    write_bad, message = CASES[case]
    src = folder_with(tmp_path, write_bad)
    out = tmp_path / 'out' / 'utd.pkl'
    with pytest.raises(ValueError) as err:
        convert_utdmhad(str(src), str(out))
    text = str(err.value)
    assert f'Skeleton: 1 invalid files:\n  {src / BAD}: ' in text
    assert GOOD not in text
    assert re.search(message, text), text
    assert not (tmp_path / 'out').exists()


@pytest.mark.parametrize('name, message', [
    ('a1_s1_skeleton.mat', 'file name is not a{A}_s{S}_t{T}_skeleton.mat'),
    ('a01_s1_t1_skeleton.mat', 'file name is not'),
    ('a0_s1_t1_skeleton.mat', 'file name is not'),
    ('a1_s1_t1.mat', 'file name is not'),
    ('a28_s1_t1_skeleton.mat', 'action a28 is outside a1..a27'),
])
def test_bad_file_names(tmp_path, name, message):
    src = folder_with(tmp_path, lambda p: savemat(p, {'d_skel': skeleton()}),
                      name)
    with pytest.raises(ValueError, match='1 invalid files') as err:
        convert_utdmhad(str(src))
    assert f'{src / name}: {message}' in str(err.value)


def test_all_bad_files_are_listed_or_skipped(tmp_path):
    src = folder_with(tmp_path, truncated)
    savemat(str(src / 'a3_s1_t1_skeleton.mat'), {'x': 1})
    with_nan(str(src / 'a4_s1_t1_skeleton.mat'))
    with pytest.raises(ValueError, match='3 invalid files') as err:
        convert_utdmhad(str(src))
    for name in ('a2_s1_t1', 'a3_s1_t1', 'a4_s1_t1'):
        assert f'{name}_skeleton.mat: ' in str(err.value)
    out = tmp_path / 'utd.npz'
    data, report = convert_utdmhad(str(src), str(out), skip_invalid=True)
    assert [a['frame_dir'] for a in data['annotations']] == ['a1_s1_t1']
    assert sum(w.startswith('skipped: ') for w in report.warnings) == 3
    assert out.exists()


def test_missing_or_empty_folder(tmp_path):
    with pytest.raises(FileNotFoundError,
                       match='UTD-MHAD folder not found: .*nope'):
        convert_utdmhad(str(tmp_path / 'nope'))
    (tmp_path / 'Skeleton_joint_order.txt').write_text('1. head;')
    with pytest.raises(ValueError, match=r'no \.mat files'):
        convert_utdmhad(str(tmp_path))


def test_tool_exits_with_the_message(tmp_path, monkeypatch):
    src = folder_with(tmp_path, truncated)
    out = tmp_path / 'utd.pkl'
    monkeypatch.setattr(sys, 'argv', [TOOL, str(src), str(out)])
    with pytest.raises(SystemExit) as err:
        runpy.run_path(TOOL, run_name='__main__')
    assert str(err.value).startswith('utdmhad_to_pickle.py: error: ')
    assert f'{src / BAD}: not a readable MATLAB file' in str(err.value)
    assert not out.exists()
