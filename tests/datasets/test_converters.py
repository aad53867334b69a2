import json
import os.path as osp
import pickle
import subprocess
import sys

import numpy as np
import pytest

from crossglg_mmaction.datasets import OneShotPoseDataset
from crossglg_mmaction.datasets.converters import (convert_nwucla,
                                                   ntu_converter_path,
                                                   validate_skeleton_pickle)
from tool_runner import run_main


def test_real_nwucla(shared_data, tmp_path):
    out = str(tmp_path / 'nwucla.pkl')
    report = run_main('data.nwucla_to_pickle', [
        osp.join(shared_data, 'nwucla', 'all_sqe'), out, '--report',
        tmp_path / 'report.json'])
    with open(out, 'rb') as f:
        data = pickle.load(f)
    annos = data['annotations']
    assert len(annos) == 1484
    assert {a['label'] for a in annos} == set(range(10))
    assert all(a['keypoint'].shape == (1, a['total_frames'], 20, 3)
               and a['keypoint'].dtype == np.float32 for a in annos)
    first = next(a for a in annos if a['frame_dir'] == 'a08_s01_e00_v01')
    assert first['label'] == 6 and first['view'] == 1  # a08 = donning
    assert sorted(data['split']) == ['all', 'view1', 'view2', 'view3']
    assert sum(len(data['split'][f'view{v}']) for v in (1, 2, 3)) == 1484
    # the README: 95 identical pairs, views v02 and v03 of the same take
    assert len(report.duplicates) == 95
    assert all(len(g) == 2 and g[0][:-1] == g[1][:-1] and
               g[0].endswith('v02') and g[1].endswith('v03')
               for g in report.duplicates)
    assert any('a02_s09_e04_v02' in w and 'single-frame' in w
               for w in report.warnings)
    with open(tmp_path / 'report.json') as f:
        assert len(json.load(f)['duplicates']) == 95
    novel = OneShotPoseDataset(out, [], 'nwucla', subset='novel',
                               layout='kinect_v1_20')
    assert novel.metainfo['classes'][0] == 'pick up with two hands'
    assert sorted(novel.exemplars.values()) == [
        'a02_s01_e00_v01', 'a04_s01_e00_v01', 'a06_s01_e00_v01',
        'a09_s01_e00_v01', 'a12_s01_e00_v01'
    ]


def write_sequence(folder, stem, frames=3, joints=20, label=None, **extra):
    action = int(stem[1:3])
    skeletons = np.ones((frames, joints, 3)).tolist()
    data = dict(file_name=stem, skeletons=skeletons,
                label=label if label is not None else
                {8: 7, 9: 8, 11: 9, 12: 10}.get(action, action))
    data.update(extra)
    with open(folder / f'{stem}.json', 'w') as f:
        f.write(json.dumps(data))


def test_nwucla_invalid_files_are_listed(tmp_path):
    write_sequence(tmp_path, 'a01_s01_e00_v01')
    write_sequence(tmp_path, 'a01_s01_e01_v01', joints=19)
    write_sequence(tmp_path, 'a01_s01_e02_v01', frames=0)
    write_sequence(tmp_path, 'a02_s01_e00_v01', label=11)
    write_sequence(tmp_path, 'a08_s01_e00_v01', label=8)
    write_sequence(tmp_path, 'a03_s01_e00_v01',
                   skeletons=[[[float('nan'), 0, 0]] * 20])
    (tmp_path / 'broken.json').write_text('{')
    with pytest.raises(ValueError) as err:
        convert_nwucla(str(tmp_path))
    message = str(err.value)
    assert '6 invalid files' in message
    for expected in ('a01_s01_e01_v01.json: key \'skeletons\': frame 0 has '
                     '19 joints', 'a01_s01_e02_v01.json: key \'skeletons\': '
                     'empty sequence', "a02_s01_e00_v01.json: key 'label': "
                     '11 is outside 1..10', 'label\': 8 does not match '
                     'action a08', "a03_s01_e00_v01.json: key 'skeletons': "
                     'NaN', 'broken.json: file name'):
        assert expected in message
    out = tmp_path / 'out.pkl'
    data, report = convert_nwucla(str(tmp_path), str(out), skip_invalid=True)
    assert [a['frame_dir'] for a in data['annotations']] == [
        'a01_s01_e00_v01'
    ]
    assert sum(w.startswith('skipped:') for w in report.warnings) == 6
    assert out.exists()


def test_nwucla_duplicates_and_missing_folder(tmp_path):
    write_sequence(tmp_path, 'a01_s01_e00_v02')
    write_sequence(tmp_path, 'a01_s01_e00_v03')
    write_sequence(tmp_path, 'a01_s01_e00_v01', frames=5)
    _, report = convert_nwucla(str(tmp_path))
    assert report.duplicates == [['a01_s01_e00_v02', 'a01_s01_e00_v03']]
    with pytest.raises(FileNotFoundError, match='not found'):
        convert_nwucla(str(tmp_path / 'nope'))


def anno(name, label=0, shape=(1, 4, 25, 3), **extra):
    keypoint = np.random.default_rng(len(name)).normal(size=shape)
    return dict(frame_dir=name, label=label, total_frames=shape[1],
                keypoint=keypoint.astype(np.float32), **extra)


def test_validator_errors_and_tool(tmp_path):
    nan = anno('c')
    nan['keypoint'][0, 1, 2, 0] = np.nan
    data = dict(
        split=dict(train=['a', 'zz']),
        annotations=[anno('a'), anno('a', 1), anno('b', shape=(1, 4, 20, 3)),
                     nan, anno('d', label=7), anno('e', shape=(0, 4, 25, 3))])
    report = validate_skeleton_pickle(data, num_classes=5)
    text = '\n'.join(report.errors)
    assert not report.ok
    assert "frame_dir repeated in several samples: ['a']" in text
    assert "split 'train': 1 names not in annotations: ['zz']" in text
    assert 'disagree on the number of joints V: {25: 5, 20: 1}' in text
    assert "sample 'c': key 'keypoint': 1 NaN/inf coordinates (frames [1])" \
        in text
    assert "sample 'd': key 'label': 7 is outside the class list (0..4)" \
        in text
    assert "sample 'e': key 'keypoint': no person (M=0" in text
    path = tmp_path / 'bad.pkl'
    path.write_bytes(pickle.dumps(data))
    with pytest.raises(SystemExit) as exit_:  # errors fail the command
        run_main('data.validate_pickle', [path, '--layout', 'ntu25'])
    assert exit_.value.code == 1
    good = tmp_path / 'good.pkl'
    good.write_bytes(pickle.dumps(dict(annotations=[anno('a'), anno('b')])))
    report = run_main('data.validate_pickle', [good, '--layout', 'ntu25',
                                               '--num-classes', 2])
    assert report.ok and report.stats['samples'] == 2
    assert any('1 classes have no sample: [1]' in w for w in report.warnings)
    assert not validate_skeleton_pickle(str(tmp_path / 'none.pkl')).ok


def write_ntu_skeleton(path, frames=3):
    """A raw NTU .skeleton text file: one body of 25 joints per frame."""
    lines = [str(frames)]
    for t in range(frames):
        lines += ['1', '72057594037931101 0 1 1 1 1 0 0.1 0.2 2', '25']
        lines += [
            f'{0.01 * j} {0.1 * t} {3 + 0.01 * j} 250 200 900 500 '
            '0 0 0 0 2' for j in range(25)
        ]
    path.write_text('\n'.join(lines) + '\n')


def test_mmaction_ntu_converter_output_validates(tmp_path):
    raw = tmp_path / 'raw'
    raw.mkdir()
    write_ntu_skeleton(raw / 'S001C001P001R001A001.skeleton')
    write_ntu_skeleton(raw / 'S001C002P003R002A007.skeleton', frames=4)
    ignored = tmp_path / 'missing.txt'
    ignored.write_text('')
    out = tmp_path / 'out'
    subprocess.run([
        sys.executable, ntu_converter_path(), '--data-path', str(raw),
        '--ignored-sample-path', str(ignored), '--out-folder', str(out),
        '--task', 'ntu60'
    ], check=True, capture_output=True)
    report = validate_skeleton_pickle(str(out / 'ntu60_3d.pkl'), 'ntu25', 60)
    assert report.ok, report.format()
    assert report.stats['samples'] == 2 and report.stats['persons'] == [1]
    assert report.stats['dtypes'] == ['float16']
    assert set(report.stats['splits']) == {
        'xsub_train', 'xsub_val', 'xview_train', 'xview_val'
    }
