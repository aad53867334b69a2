import pickle

import numpy as np
import pytest
from mmengine.dataset import ClassBalancedDataset
from mmengine.registry import init_default_scope

from crossglg_mmaction.datasets import OneShotPoseDataset
from mmaction.registry import DATASETS

PROTOCOL = dict(
    name='tiny', layout='ntu25', num_classes=6, novel_classes=[3, 5],
    exemplars={'3': 'c3_s1', '5': 'c5_s0'}, dev_classes=[1],
    dev_exemplars={'1': 'c1_s2'}, class_names=list('abcdef'))


def annotation(label, index, frames=4, joints=25):
    rng = np.random.default_rng(label * 100 + index)
    return dict(
        frame_dir=f'c{label}_s{index}', label=label, total_frames=frames,
        keypoint=rng.normal(size=(1, frames, joints, 3)).astype(np.float32))


def write(path, annotations, split=None):
    with open(path, 'wb') as f:
        pickle.dump(dict(split=split or {}, annotations=annotations), f)
    return str(path)


@pytest.fixture
def ann_file(tmp_path):
    annos = [annotation(c, i) for c in range(6) for i in range(3)]
    split = {'xsub_train': [a['frame_dir'] for a in annos[::2]]}
    return write(tmp_path / 'tiny.pkl', annos, split)


def build(ann_file, **kwargs):
    kwargs.setdefault('protocol', PROTOCOL)
    return OneShotPoseDataset(ann_file=ann_file, pipeline=[], **kwargs)


def test_novel_subset(ann_file):
    ds = build(ann_file, subset='novel', test_mode=True)
    assert len(ds) == 6
    assert ds.metainfo['classes'] == ('d', 'f')
    assert ds.metainfo['original_labels'] == (3, 5)
    infos = [ds.get_data_info(i) for i in range(len(ds))]
    assert [i['label'] for i in infos] == [0, 0, 0, 1, 1, 1]
    assert [i['original_label'] for i in infos] == [3, 3, 3, 5, 5, 5]
    assert [i['frame_dir'] for i in infos if i['is_exemplar']] == [
        'c3_s1', 'c5_s0'
    ]
    assert all(isinstance(i['is_exemplar'], bool) for i in infos)
    assert ds.get_cat_ids(4) == [1]


def test_base_subsets(ann_file):
    ds = build(ann_file)  # all non-novel labels
    assert ds.metainfo['original_labels'] == (0, 1, 2, 4)
    assert len(ds) == 12 and not any(
        ds.get_data_info(i)['is_exemplar'] for i in range(12))
    assert build(ann_file, num_base_classes=2).metainfo[
        'original_labels'] == (0, 1)
    held_out = build(ann_file, num_base_classes=3, holdout_dev=True)
    assert held_out.metainfo['original_labels'] == (0, 2)
    assert held_out.metainfo['classes'] == ('a', 'c')
    explicit = build(ann_file, base_classes=[4, 2])
    assert explicit.metainfo['original_labels'] == (2, 4)
    assert [explicit.get_data_info(i)['label'] for i in (0, 3)] == [0, 1]
    balanced = ClassBalancedDataset(explicit, oversample_thr=0.1)
    assert len(balanced) >= len(explicit)


def test_dev_subset_split_and_registry(ann_file, tmp_path):
    init_default_scope('mmaction')
    ds = DATASETS.build(
        dict(type='OneShotPoseDataset', ann_file=ann_file, pipeline=[],
             protocol=PROTOCOL, subset='dev'))
    assert ds.metainfo['original_labels'] == (1, )
    assert sum(ds.get_data_info(i)['is_exemplar'] for i in range(3)) == 1
    # split narrows the samples: xsub_train holds every other sample,
    # 2 + 1 + 2 + 2 of the base classes 0, 1, 2, 4
    base = build(ann_file, split='xsub_train')
    assert len(base) == 7
    with pytest.raises(ValueError, match=r"split 'nope' not found"):
        build(ann_file, split='nope')


def test_class_names_file(ann_file, tmp_path):
    names = tmp_path / 'names.txt'
    names.write_text('\n'.join(f'name{i}' for i in range(6)) + '\n')
    ds = build(ann_file, subset='novel', class_names=str(names))
    assert ds.metainfo['classes'] == ('name3', 'name5')
    unnamed = dict(PROTOCOL, class_names=None)
    assert build(ann_file, protocol=unnamed,
                 subset='novel').metainfo['classes'] == ('3', '5')
    with pytest.raises(ValueError, match='2 class names'):
        build(ann_file, class_names=['x', 'y'])


def broken(tmp_path, change, label=0, index=0):
    annos = [annotation(c, i) for c in range(6) for i in range(3)]
    target = next(a for a in annos
                  if a['label'] == label and a['frame_dir'].endswith(
                      f's{index}'))
    change(target)
    return write(tmp_path / 'broken.pkl', annos)


def set_key(key, value):
    return lambda anno: anno.__setitem__(key, value)


@pytest.mark.parametrize('change, message', [
    (set_key('keypoint', np.zeros((1, 4, 20, 3), np.float32)),
     r"'c0_s0': key 'keypoint': expected shape \(M, T, 25, C\)"),
    (set_key('keypoint', np.zeros((4, 25, 3), np.float32)),
     r"'c0_s0': key 'keypoint': expected shape"),
    (set_key('keypoint', np.full((1, 4, 25, 3), np.nan, np.float32)),
     r"'c0_s0': key 'keypoint': 300 NaN/inf"),
    (set_key('keypoint', np.zeros((1, 0, 25, 3), np.float32)),
     r"'c0_s0': key 'keypoint': zero-length sequence"),
    (set_key('total_frames', 0), r"'c0_s0': key 'total_frames'"),
    (set_key('label', 6), r"'c0_s0': key 'label': 6 is outside"),
    (lambda a: a.pop('keypoint'), r"'c0_s0': missing key 'keypoint'"),
])
def test_invalid_samples_are_named(tmp_path, change, message):
    path = broken(tmp_path, change)
    with pytest.raises(ValueError, match=message) as err:
        build(path)
    assert 'broken.pkl' in str(err.value)


def test_invalid_sample_outside_the_subset_is_ignored(tmp_path):
    nan = np.full((1, 4, 25, 3), np.nan, np.float32)
    path = broken(tmp_path, set_key('keypoint', nan), label=3)
    assert len(build(path)) == 12  # base subset never reads class 3
    with pytest.raises(ValueError, match="'c3_s0'"):
        build(path, subset='novel')


def test_missing_exemplar_is_named(tmp_path):
    annos = [annotation(c, i) for c in range(6) for i in range(3)
             if (c, i) != (3, 1)]
    path = write(tmp_path / 'p.pkl', annos)
    with pytest.raises(ValueError, match=r"exemplar 'c3_s1' of novel class "
                       r'3 \(d\).*is missing'):
        build(path, subset='novel')


def test_exemplar_with_wrong_label(tmp_path, ann_file):
    protocol = dict(PROTOCOL, exemplars={'3': 'c4_s0', '5': 'c5_s0'})
    with pytest.raises(ValueError, match="exemplar 'c4_s0'.*has label 4"):
        build(ann_file, protocol=protocol, subset='novel')


def test_coverage_errors(tmp_path):
    no_base = [annotation(c, i) for c in (0, 1, 3, 4, 5) for i in range(3)]
    with pytest.raises(ValueError, match=r'base classes without samples: '
                       r'2 \(c\)'):
        build(write(tmp_path / 'a.pkl', no_base))
    only_exemplar = [
        annotation(c, i) for c in range(6) for i in range(3)
        if c != 5 or i == 0
    ]
    with pytest.raises(ValueError, match=r'novel classes without queries.*'
                       r'5 \(f\)'):
        build(write(tmp_path / 'b.pkl', only_exemplar), subset='novel')
    twice = [annotation(c, i) for c in range(6) for i in range(3)]
    twice.append(annotation(0, 0))
    with pytest.raises(ValueError, match=r"repeated.*\['c0_s0'\]"):
        build(write(tmp_path / 'c.pkl', twice))


def test_exemplar_rule_first(ann_file):
    protocol = dict(PROTOCOL, exemplars={'3': 'c3_s1'}, exemplar_rule='first')
    ds = build(ann_file, protocol=protocol, subset='novel')
    assert ds.exemplars == {3: 'c3_s1', 5: 'c5_s0'}


def test_layout_and_file_errors(ann_file, tmp_path):
    with pytest.raises(ValueError, match="layout 'kinect_v1_20' does not "
                       "match the layout 'ntu25'"):
        build(ann_file, layout='kinect_v1_20')
    with pytest.raises(FileNotFoundError, match='none.pkl'):
        build(str(tmp_path / 'none.pkl'))
    bad = tmp_path / 'list.pkl'
    bad.write_bytes(pickle.dumps([1, 2]))
    with pytest.raises(ValueError, match="'annotations' list"):
        build(str(bad))


def test_pipeline_and_pack_carry_the_flag(ann_file):
    init_default_scope('mmaction')
    pipeline = [
        dict(type='UniformSampleFrames', clip_len=4, test_mode=True),
        dict(type='PoseDecode'),
        dict(type='FormatGCNInput', num_person=2),
        dict(type='PackActionInputs', algorithm_keys=('is_exemplar', ))
    ]
    ds = OneShotPoseDataset(ann_file, pipeline, PROTOCOL, subset='novel',
                            test_mode=True)
    packed = ds[1]
    assert packed['inputs'].shape == (1, 2, 4, 25, 3)
    assert packed['data_samples'].is_exemplar is True
    assert int(packed['data_samples'].gt_label) == 0
