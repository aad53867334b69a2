"""A tiny CrossGLG run for the bad-input and security tests.

Six classes of 4 random-walk samples (8 frames, NTU-25), protocol ``tiny``
(novel classes 4 and 5, dev class 1), a 2-block InfoGCN with JID and a
CrossGLG head on 8-d TF-IDF text, trained for one epoch in this process with
the project's runtime config (``configs/_base_/default_runtime.py``).
"""
import contextlib
import json
import os.path as osp
import pickle

import numpy as np

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
NAMES = ('wave hand', 'sit down', 'jump up', 'kick ball', 'drink water',
         'clap hands')
PROTOCOL = dict(
    name='tiny', layout='ntu25', num_classes=6, novel_classes=[4, 5],
    exemplars={'4': 'c4_s1', '5': 'c5_s0'}, dev_classes=[1],
    dev_exemplars={'1': 'c1_s2'}, class_names=list(NAMES))

CONFIG = """
_base_ = {runtime!r}
ann_file = {ann_file!r}
protocol = {protocol!r}
model = dict(
    type='CrossGLGRecognizer',
    backbone=dict(type='InfoGCN', layout={layout!r},
                  base_channels={channels}, num_stages=2,
                  inflate_stages=(2, ), down_stages=(2, ), num_person=1,
                  importance=dict(after_block=1)),
    cls_head=dict(type='CrossGLGHead', num_classes=4,
                  in_channels={channels} * 2, latent_channels=16,
                  guidance=dict(type='CrossModalGuidance', text_channels=8,
                                common_channels=8, num_heads=2,
                                num_blocks=1)))
train_pipeline = [
    dict(type='UniformSampleFrames', clip_len=8),
    dict(type='PoseDecode'),
    dict(type='FormatGCNInput', num_person=1),
    dict(type='PackActionInputs',
         algorithm_keys=('text_embedding', 'key_joints'))
]
test_pipeline = [
    dict(type='UniformSampleFrames', clip_len=8, test_mode=True),
    dict(type='PoseDecode'),
    dict(type='FormatGCNInput', num_person=1),
    dict(type={pack!r}, algorithm_keys=('is_exemplar', ))
]
train_dataloader = dict(
    batch_size=16, num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type='TextAnnotatedDataset', ann_file=ann_file,
                 protocol=protocol, subset='base', pipeline=train_pipeline,
                 text_bank=dict(annotations={text!r},
                                encoder=dict(type='tfidf_svd', dim=8),
                                cache_dir={banks!r}, text_channels=8)))
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
default_hooks = dict(logger=dict(type='LoggerHook', interval=1))
"""


def write_data(root):
    """The skeleton pickle and protocol file; returns their paths."""
    rng = np.random.default_rng(0)
    annotations = []
    for label in range(len(NAMES)):
        centre = rng.normal(size=(1, 1, 25, 3))
        for i in range(4):
            keypoint = centre + 0.1 * rng.normal(size=(1, 8, 25, 3))
            annotations.append(dict(
                frame_dir=f'c{label}_s{i}', label=label, total_frames=8,
                keypoint=keypoint.astype(np.float32)))
    ann_file = osp.join(root, 'data.pkl')
    with open(ann_file, 'wb') as f:
        pickle.dump(dict(split={}, annotations=annotations), f)
    protocol = osp.join(root, 'protocol.json')
    with open(protocol, 'w') as f:
        json.dump(PROTOCOL, f)
    return ann_file, protocol


class TinyRun:
    """Data, text and config of a tiny run in ``root``.

    Args:
        root (str): Folder of the run's files.
        text (str): Text annotation file of the 6 classes.
    """

    def __init__(self, root, text):
        self.root = root
        self.text = text
        self.ann_file, self.protocol = write_data(root)
        self.values = dict(
            runtime=osp.join(ROOT, 'configs', '_base_',
                             'default_runtime.py'),
            ann_file=self.ann_file, protocol=self.protocol, text=text,
            banks=osp.join(root, 'banks'), layout='ntu25', channels=8,
            pack='PackActionInputs')
        self.config = self.write_config(osp.join(root, 'tiny.py'))
        self.work_dir = osp.join(root, 'work')
        self.checkpoint = osp.join(self.work_dir, 'epoch_1.pth')

    def write_config(self, path, **changes):
        """The config with template values changed, written to ``path``."""
        with open(path, 'w') as f:
            f.write(CONFIG.format(**dict(self.values, **changes)))
        return path

    def train(self):
        """One epoch through MMEngine's runner; output goes to train.out."""
        from mmengine.config import Config
        from mmengine.registry import init_default_scope
        from mmengine.runner import Runner

        cfg = Config.fromfile(self.config)
        cfg.work_dir = self.work_dir
        with open(osp.join(self.root, 'train.out'), 'w') as out, \
                contextlib.redirect_stdout(out), \
                contextlib.redirect_stderr(out):
            Runner.from_cfg(cfg).train()
        init_default_scope('mmaction')
        return self.checkpoint
