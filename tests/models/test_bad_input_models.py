"""Bad input for the models: construction-time config checks, inputs and
text fields (the harness: tests/bad_input.py)."""
import functools

import pytest
import torch

from bad_input import Cases, check_bad_input
from mmaction.registry import MODELS

case = Cases()


# models: construction-time config checks and inputs
def model_case(name, cfg, match, error=ValueError):
    case('model', name, error, match)(
        lambda ws: functools.partial(MODELS.build, cfg))


TINY = dict(type='InfoGCN', base_channels=8, num_stages=2,
            inflate_stages=(2, ), down_stages=(2, ), num_person=1)
HEAD = dict(type='CrossGLGHead', num_classes=4, in_channels=16,
            latent_channels=16,
            guidance=dict(type='CrossModalGuidance', text_channels=8,
                          common_channels=8, num_heads=2))

model_case('after-block-zero', dict(TINY, importance=dict(after_block=0)),
           r'InfoGCN importance\.after_block must be an integer in 1\.\.2 '
           r'\(N_pre\), got 0')
model_case('after-block-out-of-range',
           dict(TINY, importance=dict(after_block=10)),
           r'importance\.after_block must be an integer in 1\.\.2 \(N_pre\), '
           r'got 10')
model_case('jid-hidden-channels-zero',
           dict(TINY, importance=dict(after_block=1, hidden_channels=0)),
           r'importance\.hidden_channels must be a positive integer or None, '
           r'got 0')
model_case('jid-unknown-position',
           dict(TINY, importance=dict(after_block=1, apply_to='input')),
           r"importance\.apply_to must be one of \('post_input', "
           r"'post_output'\), got 'input'")
model_case('jid-unknown-key', dict(TINY, importance=dict(after_block=1,
                                                         n_pre=5)),
           r"InfoGCN importance: unknown keys \['n_pre'\]")
model_case('unknown-layout', dict(TINY, layout='kinect_v3'),
           r"unknown skeleton layout 'kinect_v3'", error=KeyError)
model_case('base-channels-zero', dict(TINY, base_channels=0),
           r'InfoGCN: base_channels must be a positive integer, got 0')
model_case('num-person-zero', dict(TINY, num_person=0),
           r'InfoGCN: num_person must be a positive integer, got 0')
model_case('stage-outside-blocks', dict(TINY, down_stages=(4, )),
           r'InfoGCN: inflate_stages/down_stages \[4\] are not blocks 1\.\.2')
model_case('kth-mode-zero', dict(TINY, k=0),
           r'k-th mode must be an integer >= 1, got 0')
model_case('head-num-classes-zero', dict(HEAD, num_classes=0),
           r'CrossGLGHead: num_classes must be a positive integer, got 0')
model_case('head-text-channels-negative',
           dict(HEAD, guidance=dict(type='CrossModalGuidance',
                                    text_channels=-8)),
           r'CrossModalGuidance: text_channels must be a positive integer, '
           r'got -8')
model_case('alpha2-negative',
           dict(HEAD, loss_c=dict(type='CrossEntropyLoss', loss_weight=-0.2)),
           r'CrossGLGHead: loss_c\.loss_weight must be >= 0, got -0\.2')
model_case('alpha1-negative',
           dict(HEAD, loss_calibrate=dict(type='JointCalibrationLoss',
                                          loss_weight=-0.5)),
           r'CrossGLGHead: loss_calibrate\.loss_weight must be >= 0, got '
           r'-0\.5')
model_case('head-unknown-embedding', dict(HEAD, embedding='z'),
           r"InfoGCNHead embedding must be one of \('hidden', 'mu'\), got 'z'")
model_case('calibration-without-jid',
           dict(type='CrossGLGRecognizer', backbone=TINY, cls_head=HEAD),
           r'CrossGLGRecognizer: the head has a calibration loss '
           r'\(loss_calibrate\) but the backbone InfoGCN has no joint '
           r"importance module; use type='CrossGLGRecognizer' with "
           r'InfoGCN\(importance=.*STGCNWithImportance.*or set '
           r'cls_head\.loss_calibrate=False')
STGCN = dict(type='STGCN', base_channels=8,
             graph_cfg=dict(layout='nturgb+d', mode='stgcn_spatial'))
STGCN_JID = dict(STGCN, type='STGCNWithImportance',
                 importance=dict(after_block=6))
model_case('stock-recognizer-with-jid-backbone',
           dict(type='RecognizerGCN', backbone=STGCN_JID,
                cls_head=dict(type='GCNHead', num_classes=4,
                              in_channels=32)),
           r'RecognizerGCN: the backbone STGCNWithImportance has joint '
           r'importance \(JID\) and returns \(features, k_out\), which '
           r"RecognizerGCN cannot pass on; use type='CrossGLGRecognizer'")
model_case('stock-recognizer-calibration-without-jid',
           dict(type='RecognizerGCN',
                backbone=STGCN,
                cls_head=dict(HEAD, in_channels=32)),
           r'RecognizerGCN: the head has a calibration loss '
           r'\(loss_calibrate\) but the backbone STGCN has no joint '
           r"importance module; use type='CrossGLGRecognizer'")


def forward_case(name, shape, match):
    case('model', name, ValueError, match)(
        lambda ws: functools.partial(MODELS.build(TINY), torch.zeros(shape)))


forward_case('input-wrong-joint-count', (2, 1, 8, 20, 3),
             r"InfoGCN \(layout 'ntu25', num_person=1, in_channels=3\) "
             r'expects V=25, got input of shape \(N, M, T, V, C\)='
             r'\(2, 1, 8, 20, 3\)')
forward_case('input-4d', (2, 8, 25, 3),
             r'InfoGCN expects input \(N, M, T, V, C\), got shape '
             r'\(2, 8, 25, 3\)')
forward_case('input-empty-sequence', (2, 1, 0, 25, 3),
             r'InfoGCN got a zero-length sequence \(T=0\)')


@case('model', 'guidance-without-text-fields', KeyError,
      r"CrossGLGHead needs the data-sample field 'text_embedding' in "
      r'training, but 2 of 2 samples lack it\. Train on a '
      r'TextAnnotatedDataset')
def _(ws):
    from mmaction.structures import ActionDataSample
    samples = [ActionDataSample().set_gt_label(label) for label in (0, 1)]
    return functools.partial(MODELS.build(HEAD).loss,
                             torch.zeros(2, 1, 16, 2, 25), samples)


@case('model', 'text-width-differs', ValueError,
      r'CrossModalGuidance expects text embeddings of width 8, got '
      r'\(2, 25, 16\)')
def _(ws):
    from mmaction.structures import ActionDataSample
    samples = []
    for label in (0, 1):
        sample = ActionDataSample().set_gt_label(label)
        sample.set_field(torch.zeros(25, 16), 'text_embedding')
        samples.append(sample)
    return functools.partial(MODELS.build(HEAD).loss,
                             torch.zeros(2, 1, 16, 2, 25), samples)


@pytest.mark.parametrize('setup, error, match, may_write', case.params)
def test_bad_input(setup, error, match, may_write, ws):
    check_bad_input(setup, error, match, may_write, ws)
