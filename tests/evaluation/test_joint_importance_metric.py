"""JointImportanceMetric and its math: JID's k_out against the key joints
that the text annotations record for each sample's class."""
import numpy as np
import pytest
import torch

from crossglg_mmaction.evaluation import JointImportanceMetric
from crossglg_mmaction.evaluation.functional import \
    joint_importance_agreement
from crossglg_mmaction.text.annotations import load_annotations


def test_agreement_math_on_hand_made_weights():
    key_joints = np.array([[1., 1., 0., 0.], [0., 0., 0., 1.]])
    on_keys = np.array([[.5, .5, 0., 0.], [0., 0., 0., 1.]])
    out = joint_importance_agreement(on_keys, key_joints)
    assert out['cosine'] == pytest.approx(1.)
    assert out['effective_joints'] == pytest.approx((2 + 1) / 2)
    assert out['uniform_cosine'] == pytest.approx(
        (np.sqrt(2 / 4) + np.sqrt(1 / 4)) / 2)
    off_keys = np.array([[0., 0., .5, .5], [1., 0., 0., 0.]])
    assert joint_importance_agreement(off_keys, key_joints)['cosine'] == 0
    uniform = np.full((2, 4), .25)
    out = joint_importance_agreement(uniform, key_joints)
    assert out['cosine'] == pytest.approx(out['uniform_cosine'])
    assert out['effective_joints'] == pytest.approx(4)


def test_agreement_needs_matching_shapes():
    with pytest.raises(ValueError, match=r'\(N, V\)'):
        joint_importance_agreement(np.ones((2, 4)), np.ones((2, 5)))


def sample(importance, label):
    return dict(joint_importance=torch.tensor(importance),
                original_label=torch.tensor(label), gt_label=torch.tensor(0))


def test_metric_uses_the_key_joints_of_each_sample_class():
    ann = load_annotations('nwucla')
    masks = {label: ann.key_joint_mask(label) for label in (1, 3)}
    metric = JointImportanceMetric('nwucla')
    exact = [sample(masks[label] / masks[label].sum(), label)
             for label in (1, 3, 3)]
    metric.process(None, exact)
    result = metric.evaluate(3)
    assert result['jid/cosine'] == pytest.approx(1.)
    sizes = [masks[1].sum(), masks[3].sum(), masks[3].sum()]
    assert result['jid/effective_joints'] == pytest.approx(np.mean(sizes))
    swapped = JointImportanceMetric('nwucla')
    swapped.process(None, [sample(masks[3] / masks[3].sum(), 1)])
    assert swapped.evaluate(1)['jid/cosine'] < 1


def test_metric_names_what_is_missing():
    metric = JointImportanceMetric('nwucla')
    with pytest.raises(KeyError, match='joint_importance'):
        metric.process(None, [dict(original_label=torch.tensor(1))])
