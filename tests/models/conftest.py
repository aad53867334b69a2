import pytest
import torch
from mmengine.registry import init_default_scope

from mmaction.structures import ActionDataSample


@pytest.fixture(autouse=True)
def mmaction_scope():
    init_default_scope('mmaction')


@pytest.fixture
def make_samples():
    """Factory of data samples with labels and, optionally, text fields."""
    return build_samples


def build_samples(labels, text_channels=None, num_joints=25,
                  key_joints=(3, )):
    """Data samples with labels and, optionally, CrossGLG's text fields."""
    samples = []
    for label in labels:
        sample = ActionDataSample()
        sample.set_gt_label(label)
        if text_channels:
            generator = torch.Generator().manual_seed(label)
            sample.set_field(
                torch.randn(num_joints, text_channels, generator=generator),
                'text_embedding')
            mask = torch.zeros(num_joints)
            mask[list(key_joints)] = 1
            sample.set_field(mask, 'key_joints')
        samples.append(sample)
    return samples
