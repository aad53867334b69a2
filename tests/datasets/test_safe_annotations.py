"""Skeleton annotations as .npz/.json: same samples, never unpickled."""
import json
import os
import pickle

import numpy as np
import pytest

from crossglg_mmaction.datasets import OneShotPoseDataset
from crossglg_mmaction.datasets.converters import (convert_nwucla,
                                                   validate_skeleton_pickle)
from crossglg_mmaction.datasets.safe_annotations import (
    load_annotation_file, load_skeleton_annotations,
    save_skeleton_annotations)
from tool_runner import run_main

PROTOCOL = dict(
    name='tiny', layout='ntu25', num_classes=4, novel_classes=[3],
    exemplars={'3': 'c3_s1'})


def annotations():
    """Samples with every kind of field a skeleton pickle holds."""
    rng = np.random.default_rng(0)
    out = []
    for label in range(4):
        for index in range(3):
            persons, frames = 1 + index % 2, 5 + index
            out.append(dict(
                frame_dir=f'c{label}_s{index}', label=label,
                total_frames=frames, subject=np.int64(index),
                img_shape=(1080, 1920),
                keypoint=rng.normal(size=(persons, frames, 25, 3)).astype(
                    np.float32),
                keypoint_score=rng.random((persons, frames, 25)).astype(
                    np.float16)))
    return dict(split=dict(xsub_train=['c0_s0', 'c3_s1', 'c3_s2']),
                annotations=out)


@pytest.fixture
def files(tmp_path):
    data = annotations()
    paths = dict(pkl=str(tmp_path / 'data.pkl'),
                 npz=str(tmp_path / 'data.npz'),
                 json=str(tmp_path / 'data.json'))
    with open(paths['pkl'], 'wb') as f:
        pickle.dump(data, f)
    save_skeleton_annotations(data, paths['npz'])
    save_skeleton_annotations(data, paths['json'])
    return data, paths


@pytest.mark.parametrize('kind', ['npz', 'json'])
def test_round_trip_keeps_every_field(files, kind):
    data, paths = files
    back = load_skeleton_annotations(paths[kind])
    assert back['split'] == data['split']
    assert len(back['annotations']) == len(data['annotations'])
    for original, loaded in zip(data['annotations'], back['annotations']):
        assert set(loaded) == set(original)
        assert loaded['frame_dir'] == original['frame_dir']
        assert loaded['label'] == original['label']
        assert loaded['subject'] == int(original['subject'])
        assert list(loaded['img_shape']) == [1080, 1920]
        np.testing.assert_array_equal(loaded['keypoint'],
                                      original['keypoint'])
        assert loaded['keypoint'].dtype == np.float32
        np.testing.assert_allclose(loaded['keypoint_score'],
                                   original['keypoint_score'])
    # .npz keeps each array's dtype; JSON reads scores as float32
    score = back['annotations'][0]['keypoint_score']
    assert score.dtype == (np.float16 if kind == 'npz' else np.float32)


def test_dataset_reads_npz_and_json_like_the_pickle(files):
    _, paths = files
    infos = {}
    for kind, path in paths.items():
        dataset = OneShotPoseDataset(ann_file=path, pipeline=[],
                                     protocol=PROTOCOL, subset='novel')
        infos[kind] = [dataset.get_data_info(i) for i in range(len(dataset))]
    for kind in ('npz', 'json'):
        assert [(i['frame_dir'], i['label'], i['is_exemplar'])
                for i in infos[kind]] == [
                    (i['frame_dir'], i['label'], i['is_exemplar'])
                    for i in infos['pkl']]
        for a, b in zip(infos[kind], infos['pkl']):
            np.testing.assert_array_equal(a['keypoint'], b['keypoint'])
    split = OneShotPoseDataset(ann_file=paths['npz'], pipeline=[],
                               protocol=PROTOCOL, subset='novel',
                               split='xsub_train')
    assert [split.get_data_info(i)['frame_dir']
            for i in range(len(split))] == ['c3_s1', 'c3_s2']


def test_safe_formats_never_unpickle(files, monkeypatch):
    _, paths = files

    def refuse(*args, **kwargs):
        raise AssertionError('pickle was used to read annotations')

    import mmengine
    for module, name in ((pickle, 'load'), (pickle, 'loads'),
                         (pickle, 'Unpickler'), (mmengine, 'load')):
        monkeypatch.setattr(module, name, refuse)
    for kind in ('npz', 'json'):
        assert len(load_annotation_file(paths[kind])['annotations']) == 12
        assert validate_skeleton_pickle(paths[kind], 'ntu25', 4).ok
    with pytest.raises(ValueError, match='pickle was used'):
        load_annotation_file(paths['pkl'])


def test_malicious_npz_is_refused_without_running_it(tmp_path):
    class Payload:

        def __reduce__(self):
            return os.mkdir, (str(tmp_path / 'ran'), )

    with open(tmp_path / 'evil.npz', 'wb') as f:
        np.savez(f, meta=np.array([Payload()], dtype=object))
    (tmp_path / 'evil.json').write_bytes(pickle.dumps(Payload()))
    for name in ('evil.npz', 'evil.json'):
        with pytest.raises(ValueError, match=f'{name}: not'):
            load_annotation_file(str(tmp_path / name))
    assert not (tmp_path / 'ran').exists()


def test_pickle_to_npz_tool_and_nwucla_npz(files, tmp_path):
    data, paths = files
    out = str(tmp_path / 'converted.npz')
    assert run_main('data.pickle_to_npz', [paths['pkl'], out, '--layout',
                                           'ntu25', '--num-classes', 4]) == out
    converted = load_skeleton_annotations(out)
    assert [a['frame_dir'] for a in converted['annotations']] == [
        a['frame_dir'] for a in data['annotations']]

    folder = tmp_path / 'all_sqe'
    folder.mkdir()
    for action in (1, 2):
        stem = f'a{action:02d}_s01_e00_v01'
        (folder / f'{stem}.json').write_text(json.dumps(dict(
            file_name=stem, label=action,
            skeletons=np.ones((3, 20, 3)).tolist())))
    made, _ = convert_nwucla(str(folder), str(tmp_path / 'nwucla.npz'))
    loaded = load_annotation_file(str(tmp_path / 'nwucla.npz'))
    assert loaded['split'] == made['split']
    np.testing.assert_array_equal(loaded['annotations'][1]['keypoint'],
                                  made['annotations'][1]['keypoint'])
