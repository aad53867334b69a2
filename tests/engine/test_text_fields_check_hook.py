from types import SimpleNamespace

import pytest
import torch
from mmengine.registry import init_default_scope

from crossglg_mmaction.engine.hooks import TextFieldsCheckHook
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample


def runner(head, fields):
    init_default_scope('mmaction')
    model = MODELS.build(dict(
        type='CrossGLGRecognizer',
        backbone=dict(type='InfoGCN', base_channels=8,
                      importance=dict(after_block=5)),
        cls_head=dict(type='CrossGLGHead', num_classes=3, in_channels=32,
                      latent_channels=32, **head)))
    sample = ActionDataSample()
    for name in fields:
        sample.set_field(torch.zeros(25, 8), name)
    dataset = [dict(inputs=torch.zeros(1, 2, 8, 25, 3), data_samples=sample)]
    return SimpleNamespace(
        model=model, train_dataloader=SimpleNamespace(dataset=dataset))


GUIDANCE = dict(guidance=dict(type='CrossModalGuidance', text_channels=8,
                              common_channels=16, num_heads=2))


def test_missing_text_stops_before_training():
    with pytest.raises(ValueError, match=r"provides no \['text_embedding', "
                       r"'key_joints'\]: use TextAnnotatedDataset"):
        TextFieldsCheckHook().before_train(runner(GUIDANCE, []))


def test_calibration_alone_needs_key_joints_only():
    head = dict(guidance=False)
    TextFieldsCheckHook().before_train(runner(head, ['key_joints']))
    with pytest.raises(ValueError, match=r"provides no \['key_joints'\]"):
        TextFieldsCheckHook().before_train(runner(head, []))


def test_complete_samples_pass():
    TextFieldsCheckHook().before_train(
        runner(GUIDANCE, ['text_embedding', 'key_joints']))
