"""The memory-mapped ``.store``: same samples as the pickle, arrays never
serialised, never unpickled."""
import json
import os
import pickle

import numpy as np
import pytest
import torch

from crossglg_mmaction.datasets import OneShotPoseDataset
from crossglg_mmaction.datasets.converters import validate_skeleton_pickle
from crossglg_mmaction.datasets.converters.folder import write_skeleton_file
from crossglg_mmaction.datasets.safe_annotations import load_annotation_file
from crossglg_mmaction.datasets.skeleton_store import (SkeletonStore,
                                                       save_skeleton_store)
from test_safe_annotations import PROTOCOL, annotations
from tool_runner import run_main


@pytest.fixture
def files(tmp_path):
    data = annotations()
    pkl, store = str(tmp_path / 'data.pkl'), str(tmp_path / 'data.store')
    with open(pkl, 'wb') as f:
        pickle.dump(data, f)
    save_skeleton_store(data, store)
    return data, pkl, store


def test_round_trip_keeps_every_field(files):
    data, _, store = files
    back = load_annotation_file(store)
    assert back['split'] == data['split']
    assert sorted(os.listdir(store)) == [
        'index.json', 'keypoint.npy', 'keypoint_score.npy']
    for original, loaded in zip(data['annotations'], back['annotations'],
                                strict=True):
        assert set(loaded) == set(original)
        assert loaded['subject'] == int(original['subject'])
        assert list(loaded['img_shape']) == [1080, 1920]
        for key in ('keypoint', 'keypoint_score'):
            np.testing.assert_array_equal(loaded[key], original[key])
            assert loaded[key].dtype == original[key].dtype
            assert not loaded[key].flags.writeable  # a view of the map
    assert validate_skeleton_pickle(store, 'ntu25', 4).ok


def test_dataset_reads_the_store_like_the_pickle(files):
    _, pkl, store = files
    datasets = [OneShotPoseDataset(ann_file=path, pipeline=[],
                                   protocol=PROTOCOL, subset='novel',
                                   split='xsub_train', test_mode=True)
                for path in (pkl, store)]
    assert len(datasets[0]) == len(datasets[1]) == 2
    for index in range(2):
        want, got = (d.get_data_info(index) for d in datasets)
        assert set(got) == set(want)
        for key, value in want.items():
            if isinstance(value, np.ndarray):
                np.testing.assert_array_equal(got[key], value)
                assert got[key].flags.writeable  # a private copy
            else:  # JSON has no tuples
                expected = list(value) if isinstance(value, tuple) else value
                assert got[key] == expected, key
    assert datasets[1].get_cat_ids(1) == [0]


def test_serialised_samples_hold_no_arrays(files):
    _, pkl, store = files
    sizes = [OneShotPoseDataset(ann_file=path, pipeline=[],
                                protocol=PROTOCOL).data_bytes.nbytes
             for path in (pkl, store)]
    keypoints = sum(a['keypoint'].nbytes for a in annotations()[
        'annotations'] if a['label'] != 3)
    assert sizes[0] > keypoints > sizes[1]


def test_dataset_pickles_without_the_arrays(files):
    _, _, store = files
    dataset = OneShotPoseDataset(ann_file=store, pipeline=[],
                                 protocol=PROTOCOL)
    first = dataset.get_data_info(0)['keypoint']
    copy = pickle.loads(pickle.dumps(dataset))
    assert len(pickle.dumps(dataset.store)) < 20_000
    np.testing.assert_array_equal(copy.get_data_info(0)['keypoint'], first)


def test_dataloader_workers_read_the_store(files):
    _, _, store = files
    dataset = OneShotPoseDataset(ann_file=store, pipeline=[],
                                 protocol=PROTOCOL)
    loader = torch.utils.data.DataLoader(
        dataset, batch_size=None, num_workers=2,
        collate_fn=lambda info: float(info['keypoint'].sum()))
    sums = sorted(loader)
    want = sorted(float(a['keypoint'].sum()) for a in annotations()[
        'annotations'] if a['label'] != 3)
    np.testing.assert_allclose(sums, want, rtol=1e-5)


def test_nan_in_the_store_is_named(tmp_path):
    data = annotations()
    data['annotations'][4]['keypoint'][0, 1, 2, 0] = np.nan
    store = str(tmp_path / 'nan.store')
    save_skeleton_store(data, store)
    with pytest.raises(ValueError, match=(
            r"nan\.store: 1 invalid samples:\n  sample 'c1_s1': key "
            r"'keypoint': 1 NaN/inf coordinates")):
        OneShotPoseDataset(ann_file=store, pipeline=[], protocol=PROTOCOL)


def test_damaged_index_is_named(files):
    _, _, store = files
    index = os.path.join(store, 'index.json')
    with open(index) as f:
        meta = json.load(f)
    meta['samples'][2]['arrays']['keypoint'][1] = 10**9
    with open(index, 'w') as f:
        json.dump(meta, f)
    with pytest.raises(ValueError, match=(
            r"index\.json: sample 'c0_s2': key 'keypoint': expected \[shape,"
            r' offset\] inside the stored array')):
        SkeletonStore(store)
    with pytest.raises(FileNotFoundError, match=r'skeleton store not found'):
        SkeletonStore(store + 'x.store')


def test_store_is_replaced_whole_and_never_over_other_folders(files,
                                                              tmp_path):
    data, _, store = files
    data['annotations'] = data['annotations'][:2]
    save_skeleton_store(data, store)
    assert len(SkeletonStore(store)) == 2
    assert sorted(os.listdir(tmp_path)) == ['data.pkl', 'data.store']
    other = tmp_path / 'other.store'
    other.mkdir()
    with pytest.raises(FileExistsError, match=r'not a skeleton store'):
        save_skeleton_store(data, str(other))


def test_pickle_to_store_tool(files, tmp_path):
    data, pkl, _ = files
    out = str(tmp_path / 'tool.store')
    run_main('data.pickle_to_store', [pkl, out, '--layout', 'ntu25',
                                     '--num-classes', '4'])
    back = load_annotation_file(out)['annotations']
    np.testing.assert_array_equal(back[5]['keypoint'],
                                  data['annotations'][5]['keypoint'])


def test_converters_write_a_store(tmp_path):
    data = annotations()
    out = str(tmp_path / 'converted.store')
    write_skeleton_file(data, out)  # what nwucla/utdmhad_to_pickle.py call
    back = load_annotation_file(out)['annotations']
    assert [a['frame_dir'] for a in back] == [
        a['frame_dir'] for a in data['annotations']]
