"""End to end: train a tiny InfoGCN for a few iterations through MMEngine,
then evaluate its checkpoint one-shot as tools/test_oneshot.py does."""
import csv
import json
import os
import os.path as osp
import pickle

import numpy as np
import pytest
from mmengine.config import Config
from mmengine.runner import Runner

from crossglg_mmaction.evaluation.checkpoint_eval import evaluate_checkpoint
from crossglg_mmaction.evaluation.functional import prototype_predict
from tool_runner import run_main

NUM_CLASSES = 6
PER_CLASS = 4
FRAMES = 8

CONFIG = """
_base_ = 'mmaction::_base_/default_runtime.py'
custom_imports = dict(imports=['crossglg_mmaction'],
                      allow_failed_imports=False)
ann_file = {ann_file!r}
protocol = {protocol!r}
model = dict(
    type='RecognizerGCN',
    backbone=dict(type='InfoGCN', layout={layout!r},
                  base_channels={channels}, num_stages=2,
                  inflate_stages=(2, ), down_stages=(2, ), num_person=1),
    cls_head=dict(type='InfoGCNHead', num_classes=4,
                  in_channels={channels} * 2, latent_channels=16))
train_pipeline = [
    dict(type='UniformSampleFrames', clip_len={frames}),
    dict(type='PoseDecode'),
    dict(type='FormatGCNInput', num_person=1),
    dict(type='PackActionInputs')
]
test_pipeline = [
    dict(type='UniformSampleFrames', clip_len={frames}, test_mode=True),
    dict(type='PoseDecode'),
    dict(type='FormatGCNInput', num_person=1),
    dict(type='PackActionInputs', algorithm_keys=('is_exemplar', ))
]
train_dataloader = dict(
    batch_size=16, num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type='OneShotPoseDataset', ann_file=ann_file,
                 protocol=protocol, subset='base',
                 pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=8, num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='OneShotPoseDataset', ann_file=ann_file,
                 protocol=protocol, subset='novel', test_mode=True,
                 pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='OneShotMetric')
test_evaluator = val_evaluator
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=1, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.01, momentum=0.9))
default_hooks = dict(
    checkpoint=dict(type='CheckpointHook', interval=1,
                    save_best='oneshot/top1', rule='greater'),
    logger=dict(type='LoggerHook', interval=1))
"""


def write_data(root):
    rng = np.random.default_rng(0)
    annotations = []
    for label in range(NUM_CLASSES):
        centre = rng.normal(size=(1, 1, 25, 3))
        for i in range(PER_CLASS):
            keypoint = centre + 0.1 * rng.normal(size=(1, FRAMES, 25, 3))
            annotations.append(
                dict(frame_dir=f'A{label}_S{i}', label=label,
                     total_frames=FRAMES,
                     keypoint=keypoint.astype(np.float32)))
    ann_file = osp.join(root, 'tiny.pkl')
    with open(ann_file, 'wb') as f:
        pickle.dump(dict(split={}, annotations=annotations), f)
    protocol = dict(
        name='tiny', layout='ntu25', num_classes=NUM_CLASSES,
        novel_classes=[4, 5], exemplars={'4': 'A4_S2', '5': 'A5_S0'},
        dev_classes=[1], dev_exemplars={'1': 'A1_S1'})
    protocol_file = osp.join(root, 'protocol.json')
    with open(protocol_file, 'w') as f:
        json.dump(protocol, f)
    return ann_file, protocol_file


def write_config(root, name, **changes):
    ann_file, protocol = write_data(root)
    values = dict(ann_file=ann_file, protocol=protocol, layout='ntu25',
                  channels=8, frames=FRAMES)
    values.update(changes)
    path = osp.join(root, f'{name}.py')
    with open(path, 'w') as f:
        f.write(CONFIG.format(**values))
    return path


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('oneshot'))
    config = write_config(root, 'tiny')
    cfg = Config.fromfile(config)
    cfg.work_dir = osp.join(root, 'train')
    Runner.from_cfg(cfg).train()
    best = [f for f in os.listdir(cfg.work_dir)
            if f.startswith('best_oneshot_top1')]
    assert best, 'save_best=oneshot/top1 saved no checkpoint'
    return root, config, osp.join(cfg.work_dir, 'epoch_1.pth')


def run(config, checkpoint, work_dir, **options):
    return evaluate_checkpoint(config, checkpoint, work_dir=work_dir,
                               batch_size=5, num_workers=0, **options)


def test_end_to_end_with_cache(trained, tmp_path, capsys):
    root, config, checkpoint = trained
    work_dir = str(tmp_path)
    summary = run(config, checkpoint, work_dir)
    out_dir = osp.join(work_dir, 'oneshot', 'epoch_1')
    with open(osp.join(out_dir, 'results.json')) as f:
        saved = json.load(f)
    assert saved['protocol'] == 'tiny' and saved['subset'] == 'novel'
    assert saved['base_classes'] == [0, 1, 2, 3]
    assert saved['classes'] == [4, 5]
    assert saved['num_queries'] == 2 * (PER_CLASS - 1)
    assert saved['num_exemplars'] == 2
    assert saved['embedding_dim'] == 16
    for name in ('prototype', 'calibrated'):
        assert 0 <= saved[name]['top1'] <= 1
        assert np.sum(saved[name]['confusion']) == 6
    with open(osp.join(out_dir, 'per_class.csv')) as f:
        rows = list(csv.DictReader(f))
    assert [r['exemplar'] for r in rows] == ['A4_S2', 'A5_S0']
    with open(osp.join(out_dir, 'confusion_matrix.png'), 'rb') as f:
        assert f.read(8) == b'\x89PNG\r\n\x1a\n'
    printed = capsys.readouterr().out
    assert 'prototype top-1' in printed and 'tiny (novel)' in printed

    # the cached features reproduce the prototype accuracy
    cache = np.load(saved['feature_cache'])
    assert len(cache['embedding']) == NUM_CLASSES * PER_CLASS
    novel = np.isin(cache['original_label'], [4, 5])
    flags = cache['is_exemplar'] & novel
    queries = novel & ~cache['is_exemplar']
    pred = prototype_predict(cache['embedding'][queries],
                             cache['embedding'][flags],
                             cache['original_label'][flags])
    assert saved['prototype']['top1'] == pytest.approx(
        (pred == cache['original_label'][queries]).mean())

    again = run(config, checkpoint, work_dir)
    assert 'features loaded from the cache' in capsys.readouterr().out
    assert again['prototype'] == summary['prototype']
    assert again['calibrated'] == summary['calibrated']

    with open(saved['feature_cache'], 'wb') as f:
        f.write(b'not a zip file')
    rebuilt = run(config, checkpoint, work_dir)
    assert 'is corrupt' in capsys.readouterr().out
    assert rebuilt['prototype'] == summary['prototype']
    assert np.load(saved['feature_cache'])['embedding'].shape == (24, 16)


def test_dev_subset_holds_out_the_dev_classes(trained, tmp_path):
    root, config, checkpoint = trained
    summary = run(config, checkpoint, str(tmp_path), subset='dev',
                  calibration=False)
    assert summary['classes'] == [1]
    assert summary['base_classes'] == [0, 2, 3]
    assert summary['calibrated'] is None
    assert summary['prototype']['top1'] == 1.0  # a single class


@pytest.mark.parametrize('changes, message', [
    (dict(channels=16), 'does not fit the model'),
    (dict(layout='kinect_v1_20'), 'layout mismatch'),
])
def test_wrong_config_writes_nothing(trained, tmp_path, changes, message):
    root, _, checkpoint = trained
    config = write_config(str(tmp_path), 'other', **changes)
    work_dir = str(tmp_path / 'work')
    with pytest.raises(ValueError, match=message):
        run(config, checkpoint, work_dir)
    assert not osp.exists(work_dir)


def test_bad_protocol_writes_nothing(trained, tmp_path):
    root, config, checkpoint = trained
    bad = tmp_path / 'bad.json'
    bad.write_text(json.dumps(dict(
        name='bad', layout='ntu25', num_classes=NUM_CLASSES,
        novel_classes=[4, 5], exemplars={'4': 'A4_S2', '5': 'A5_S0'},
        base_classes=[0, 4])))
    work_dir = str(tmp_path / 'work')
    with pytest.raises(ValueError, match=r'novel classes \[4\] also appear'):
        run(config, checkpoint, work_dir, protocol=str(bad))
    assert not osp.exists(work_dir)


def test_command_line(trained, tmp_path, capsys):
    """The options map onto evaluate_checkpoint; errors end the process."""
    root, config, checkpoint = trained
    out_dir = tmp_path / 'report'
    summary = run_main('test_oneshot', [
        config, checkpoint, '--work-dir', tmp_path, '--out-dir', out_dir,
        '--cache-dir', tmp_path / 'cache', '--subset', 'dev',
        '--no-calibration', '--num-base-classes', 3, '--seed', 3,
        '--batch-size', 5, '--num-workers', 0])
    assert (summary['subset'], summary['base_classes'],
            summary['calibrated'], summary['calibration_seed']) == \
        ('dev', [0, 2], None, 3)
    assert sorted(os.listdir(out_dir)) == [
        'confusion_matrix.png', 'per_class.csv', 'results.json']
    assert len(os.listdir(tmp_path / 'cache')) == 1
    assert 'tiny (dev)' in capsys.readouterr().out
    with pytest.raises(SystemExit, match=r'^test_oneshot\.py: error: '
                       'checkpoint not found'):
        run_main('test_oneshot', [config, tmp_path / 'none.pth'])


def test_every_class_novel_without_calibration(trained, tmp_path):
    """One-shot on a set of one's own classes: the protocol has no base
    class; the prototype classifier needs none (only the evaluated classes
    are extracted)."""
    root, config, checkpoint = trained
    protocol = tmp_path / 'own.json'
    protocol.write_text(json.dumps(dict(
        name='own', layout='ntu25', num_classes=NUM_CLASSES,
        novel_classes=list(range(NUM_CLASSES)), base_classes=[],
        exemplar_rule='first',
        class_names=[f'action {c}' for c in range(NUM_CLASSES)])))
    summary = run_main('test_oneshot', [
        config, checkpoint, '--protocol', protocol, '--ann-file',
        osp.join(root, 'tiny.pkl'), '--no-calibration', '--work-dir',
        tmp_path, '--batch-size', 5, '--num-workers', 0])
    assert summary['classes'] == list(range(NUM_CLASSES))
    assert summary['base_classes'] == [] and summary['calibrated'] is None
    assert summary['num_queries'] == NUM_CLASSES * (PER_CLASS - 1)
    assert summary['class_names'][0] == 'action 0'
    cache = np.load(summary['feature_cache'])
    assert len(cache['embedding']) == NUM_CLASSES * PER_CLASS
