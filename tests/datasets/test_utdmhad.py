"""UTD-MHAD: the .mat converter, the protocol and a tiny run on real files.

The real-data tests read ``../shared/data/utdmhad`` and skip without it.
"""
import os
import os.path as osp
import pickle
import re

import numpy as np
import pytest
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import Runner
from scipy.io import loadmat, savemat
from tool_runner import run_main

from crossglg_mmaction.datasets import OneShotPoseDataset, get_protocol
from crossglg_mmaction.datasets.converters import (convert_utdmhad,
                                                   read_mat_sequence)
from crossglg_mmaction.skeleton import get_layout
from crossglg_mmaction.text.annotations import (new_annotations,
                                                save_annotations,
                                                upsert_description)

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
UTD_HEAD = ('head', 'shoulder_center', 'spine', 'hip_center')
ABSENT = ['a8_s1_t4', 'a23_s6_t4', 'a27_s8_t4']
NOVEL = [0, 3, 6, 9, 12, 15, 18, 21, 24]  # README: actions 1, 4, ..., 25
DEV = [2, 8, 14, 23]  # actions 3, 9, 15, 24


def utd_order_ids(frames):
    """d_skel whose x is the UTD joint number (1..20), y the frame."""
    skeleton = np.zeros((20, 3, frames))
    skeleton[:, 0] = np.arange(1, 21)[:, None]
    skeleton[:, 1] = np.arange(frames)
    return skeleton


def test_joints_are_reordered_into_kinect_v1_20(tmp_path):
    path = str(tmp_path / 'a5_s2_t3_skeleton.mat')
    savemat(path, {'d_skel': utd_order_ids(4)})
    anno = read_mat_sequence(path)
    assert (anno['frame_dir'], anno['label'], anno['subject'],
            anno['trial'], anno['total_frames']) == ('a5_s2_t3', 4, 2, 3, 4)
    keypoint = anno['keypoint']
    assert keypoint.shape == (1, 4, 20, 3) and keypoint.dtype == np.float32
    kinect = get_layout('kinect_v1_20').joints
    utd = UTD_HEAD + kinect[4:]  # the README's UTD order
    expected = [utd.index(name) + 1 for name in kinect]
    assert expected[:5] == [4, 3, 2, 1, 5]
    assert (keypoint[0, :, :, 0] == expected).all()
    assert (keypoint[0, :, :, 1] == np.arange(4)[:, None]).all()


def test_matlab_single_frame_is_two_dimensional(tmp_path):
    # MATLAB stores a 20 x 3 x 1 array as 20 x 3
    path = str(tmp_path / 'a1_s1_t1_skeleton.mat')
    savemat(path, {'d_skel': utd_order_ids(1)[..., 0]})
    assert loadmat(path)['d_skel'].shape == (20, 3)
    anno = read_mat_sequence(path)
    assert anno['keypoint'].shape == (1, 1, 20, 3)
    assert anno['keypoint'][0, 0, 0, 0] == 4  # hip centre = UTD joint 4


def test_folder_order_splits_and_summary(tmp_path):
    skeleton = utd_order_ids(5)
    for name in ('a10_s1_t1', 'a1_s2_t1', 'a1_s1_t1'):
        savemat(str(tmp_path / f'{name}_skeleton.mat'),
                {'d_skel': skeleton + (name == 'a10_s1_t1')})
    (tmp_path / 'Skeleton_joint_order.txt').write_text('1. head;\n')
    out = tmp_path / 'out' / 'utd.pkl'
    data, report = convert_utdmhad(str(tmp_path), str(out))
    names = [a['frame_dir'] for a in data['annotations']]
    assert names == ['a1_s1_t1', 'a1_s2_t1', 'a10_s1_t1']
    assert data['split'] == dict(all=names,
                                 xsub_train=['a1_s1_t1', 'a10_s1_t1'],
                                 xsub_val=['a1_s2_t1'])
    assert report.duplicates == [['a1_s1_t1', 'a1_s2_t1']]
    assert report.stats['per_class'] == {0: 2, 9: 1}
    assert report.stats['absent_takes'] == 27 * 8 * 4 - 3
    absent = next(w for w in report.warnings if 'absent' in w)
    assert absent.startswith('861 of the 864 takes')
    assert 'a1_s1_t2, a1_s1_t3' in absent and '... and 841 more' in absent
    with open(out, 'rb') as f:
        assert [a['frame_dir'] for a in pickle.load(f)['annotations']] == \
            names


def config(path):
    return Config.fromfile(osp.join(ROOT, path))


@pytest.mark.parametrize('model', ['infogcn', 'crossglg'])
def test_configs_fit_the_protocol(model):
    p = get_protocol('utdmhad')
    full = config(f'configs/{model}_utdmhad_18base.py')
    dev = config(f'configs/{model}_utdmhad_18base_dev.py')
    for cfg in (full, dev):
        assert cfg.model.backbone.layout == p.layout
        assert cfg.train_dataloader.dataset.protocol == 'utdmhad'
    assert full.model.cls_head.num_classes == len(p.base_classes()) == 18
    assert dev.model.cls_head.num_classes == len(
        p.base_classes(holdout_dev=True)) == 14
    assert dev.train_dataloader.dataset.holdout_dev
    assert (dev.val_dataloader.dataset.subset,
            dev.test_dataloader.dataset.subset) == ('dev', 'novel')
    assert dev.default_hooks.checkpoint.save_best == 'oneshot/top1'
    # the CPU benchmark differs from NW-UCLA's only in data and class count
    cpu = config(f'benchmarks/configs/{model}_utdmhad_18base_cpu.py')
    nwucla = config(f'benchmarks/configs/{model}_nwucla_5base_cpu.py')
    for key in ('train_cfg', 'optim_wrapper', 'param_scheduler'):
        assert cpu[key] == nwucla[key], key
    utd_data, nwucla_data = (c.train_dataloader.dataset
                             for c in (cpu, nwucla))
    assert utd_data.pipeline == nwucla_data.pipeline
    if model == 'crossglg':
        assert utd_data.text_bank.annotations == 'utdmhad'
        assert dict(utd_data.text_bank, annotations='nwucla') == \
            nwucla_data.text_bank


@pytest.fixture(scope='module')
def utd_dir(shared_data):
    """The real Skeleton folder; skips when ../shared/data/utdmhad is
    absent."""
    path = osp.join(shared_data, 'utdmhad', 'Skeleton')
    if not osp.isdir(path):
        pytest.skip(f'UTD-MHAD skeletons not found at {path}')
    return path


@pytest.fixture(scope='module')
def real_pickle(utd_dir, tmp_path_factory):
    """The whole folder converted with the tool; (path, report)."""
    out = str(tmp_path_factory.mktemp('utdmhad') / 'utdmhad_3d.pkl')
    report = run_main('data.utdmhad_to_pickle', [utd_dir, out])
    return out, report


@pytest.mark.parametrize('take', ['a1_s1_t1', 'a13_s5_t4', 'a24_s3_t2',
                                  'a27_s8_t1'])
def test_real_files_geometry(utd_dir, take):
    path = osp.join(utd_dir, f'{take}_skeleton.mat')
    raw = loadmat(path)['d_skel']
    anno = read_mat_sequence(path)
    frames = raw.shape[2]
    assert anno['frame_dir'] == take and anno['total_frames'] == frames
    assert anno['keypoint'].shape == (1, frames, 20, 3)
    joints = get_layout('kinect_v1_20').joints
    height = dict(zip(joints, anno['keypoint'][0, :, :, 1].mean(0)))
    # camera space, y up: also while sitting down or standing up
    assert height['head'] > height['shoulder_center'] > height['spine'] > \
        height['hip_center']
    np.testing.assert_allclose(anno['keypoint'][0, :, 0], raw[3].T,
                               rtol=1e-6)  # hip centre, UTD joint 4
    np.testing.assert_allclose(anno['keypoint'][0, :, 4:], raw[4:].transpose(
        2, 0, 1), rtol=1e-6)


def test_joint_order_file_of_the_data(utd_dir):
    with open(osp.join(utd_dir, 'Skeleton_joint_order.txt')) as f:
        utd = re.findall(r'^\s*\d+\.\s*(\w+);', f.read(), re.M)
    assert tuple(utd) == UTD_HEAD + get_layout('kinect_v1_20').joints[4:]


def test_real_conversion_summary(real_pickle):
    out, report = real_pickle
    assert report.ok and report.stats['samples'] == 861
    assert report.stats['frames'] == '41..125 (mean 67.7)'
    assert report.stats['splits'] == dict(all=861, xsub_train=431,
                                          xsub_val=430)
    assert report.stats['per_class'] == {
        c: 31 if c in (7, 22, 26) else 32 for c in range(27)}
    assert report.stats['absent_takes'] == 3
    assert report.warnings == [
        '3 of the 864 takes (actions x subjects x trials) are absent: ' +
        ', '.join(ABSENT)]
    assert report.duplicates == []


def readme_split(utd_root):
    """Class names and novel labels (0-based) from the data README."""
    with open(osp.join(utd_root, 'README.md')) as f:
        text = f.read()
    actions = text.split('27 actions (label → name):')[1].split('\n\n')[0]
    names = [re.sub(r'^\d+ ', '', n.strip())
             for n in ' '.join(actions.split()).split(' · ')]
    novel = re.search(r'Novel classes.*: labels ([\d, ]+) \(', text).group(1)
    return names, [int(a) - 1 for a in novel.split(', ')]


def test_protocol_matches_the_readme_and_the_data(utd_dir, real_pickle):
    p = get_protocol('utdmhad')
    names, novel = readme_split(osp.dirname(utd_dir))
    assert list(p.class_names) == names and len(names) == 27
    assert list(p.novel_classes) == novel == NOVEL
    datasets = {
        subset: OneShotPoseDataset(real_pickle[0], [], 'utdmhad',
                                   subset=subset, layout='kinect_v1_20')
        for subset in ('novel', 'dev')
    }
    assert datasets['novel'].exemplars == {c: f'a{c + 1}_s1_t1'
                                           for c in NOVEL}
    assert len(datasets['novel']) - 9 == 279  # queries
    assert datasets['dev'].exemplars == {c: f'a{c + 1}_s1_t1' for c in DEV}
    base = OneShotPoseDataset(real_pickle[0], [], 'utdmhad',
                              layout='kinect_v1_20', holdout_dev=True)
    assert base.original_labels == tuple(
        c for c in range(27) if c not in NOVEL + DEV)
    assert len(base) == 14 * 32 - 3  # a8, a23, a27 lack one take


def utd_text(path, protocol):
    """A temporary text file for the 27 classes (kinect_v1_20)."""
    layout = get_layout('kinect_v1_20')
    data = new_annotations('utdmhad', layout, 'test')
    for label, name in enumerate(protocol.class_names):
        upsert_description(data, label, name, 'test', dict(
            **{'global': f'The person does {name} with the right hand.'},
            joints={j: f'The {j} moves in {name}.' for j in layout.joints},
            key_joints=['right_hand', 'right_wrist'],
            key_joints_extractor='lexical',
            provenance=dict(source='authored', note='test fixture')))
    save_annotations(data, path)
    return path


def test_tiny_end_to_end_on_real_files(utd_dir, tmp_path):
    """Subject 1, trials 1-2 of every action: convert, train the CPU
    benchmark config shrunk to a tiny model for one epoch, test one-shot."""
    src = tmp_path / 'Skeleton'
    src.mkdir()
    for action in range(1, 28):
        for trial in (1, 2):
            name = f'a{action}_s1_t{trial}_skeleton.mat'
            os.symlink(osp.join(utd_dir, name), src / name)
    ann_file = str(tmp_path / 'utd.pkl')
    convert_utdmhad(str(src), ann_file)
    text = utd_text(str(tmp_path / 'utdmhad.json'), get_protocol('utdmhad'))
    config = osp.join(ROOT,
                      'benchmarks/configs/crossglg_utdmhad_18base_cpu.py')
    options = {
        'model.backbone.base_channels': 8, 'model.backbone.num_stages': 2,
        'model.backbone.inflate_stages': [2], 'model.backbone.down_stages':
        [2], 'model.backbone.importance.after_block': 1,
        'model.cls_head.in_channels': 16, 'model.cls_head.latent_channels': 16,
        'model.cls_head.guidance.text_channels': 8,
        'model.cls_head.guidance.common_channels': 8,
        'model.cls_head.guidance.num_heads': 2,
        'train_dataloader.dataset.text_bank.annotations': text,
        'train_dataloader.dataset.text_bank.encoder': dict(
            _delete_=True, type='tfidf_svd', dim=8),
        'train_dataloader.dataset.text_bank.text_channels': 8,
        'train_dataloader.dataset.text_bank.cache_dir': str(tmp_path),
        'train_cfg.max_epochs': 1, 'work_dir': str(tmp_path / 'work')
    }
    for loader in ('train', 'val', 'test'):
        options[f'{loader}_dataloader.dataset.ann_file'] = ann_file
        options[f'{loader}_dataloader.num_workers'] = 0
        options[f'{loader}_dataloader.persistent_workers'] = False
    cfg = Config.fromfile(config)
    cfg.merge_from_dict(options)
    runner = Runner.from_cfg(cfg)
    assert len(runner.train_dataloader.dataset) == 36  # 18 classes x 2
    runner.train()
    init_default_scope('mmaction')
    tiny = str(tmp_path / 'tiny_config.py')
    cfg.dump(tiny)
    summary = run_main('test_oneshot', [
        tiny, tmp_path / 'work' / 'epoch_1.pth', '--work-dir',
        tmp_path / 'test'])
    assert summary['classes'] == NOVEL and summary['num_queries'] == 9
    assert len(summary['base_classes']) == 18
    for classifier in ('prototype', 'calibrated'):
        assert 0 <= summary[classifier]['top1'] <= 1
