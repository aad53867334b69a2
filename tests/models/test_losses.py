import pytest
import torch
import torch.nn.functional as F

from crossglg_mmaction.models import (JointCalibrationLoss, LatentNormLoss,
                                      MMDLoss)


def test_mmd_compares_present_class_means_with_their_priors():
    z = torch.tensor([[1., 0.], [3., 2.], [5., 5.]])
    labels = torch.tensor([2, 2, 0])
    prior = torch.tensor([[5., 4.], [9., 9.], [1., 1.]])
    # class 2 mean (2, 1) vs (1, 1); class 0 mean (5, 5) vs (5, 4)
    expected = (1 + 0 + 0 + 1) / 4
    assert MMDLoss()(z, labels, prior).item() == pytest.approx(expected)
    weighted = MMDLoss(loss_weight=0.1)(z, labels, prior)
    assert weighted.item() == pytest.approx(0.1 * expected)


def test_latent_norm_is_norm_of_batch_mean_and_differentiable():
    z = torch.tensor([[3., 0.], [3., 8.]], requires_grad=True)
    loss = LatentNormLoss(loss_weight=2.)(z)
    assert loss.item() == pytest.approx(2 * 5.)
    loss.backward()
    assert torch.allclose(z.grad, torch.tensor([[0.6, 0.8], [0.6, 0.8]]))


def test_calibration_compares_with_the_binary_mask_by_default():
    k_out = torch.tensor([[0.5, 0.5, 0., 0.]])
    mask = torch.tensor([[1., 1., 0., 0.]])
    raw = JointCalibrationLoss()(k_out, mask)
    assert raw.item() == pytest.approx(F.mse_loss(k_out, mask).item())
    assert raw.item() == pytest.approx((0.25 + 0.25) / 4)


def test_calibration_can_normalise_binary_masks():
    k_out = torch.tensor([[0.5, 0.5, 0., 0.]])
    mask = torch.tensor([[1., 1., 0., 0.]])
    normalized = JointCalibrationLoss(normalize=True)
    assert normalized(k_out, mask).item() == pytest.approx(0.)
    weighted = JointCalibrationLoss(normalize=True, loss_weight=0.5)(
        torch.tensor([[1., 0., 0., 0.]]), mask)
    assert weighted.item() == pytest.approx(0.5 * (0.25 + 0.25) / 4)


def test_calibration_target_without_key_joints_is_zero_not_nan():
    loss = JointCalibrationLoss(normalize=True)(
        torch.full((1, 4), 0.25), torch.zeros(1, 4))
    assert loss.item() == pytest.approx(0.0625)


def test_calibration_can_sum_over_joints():
    k_out = torch.tensor([[0.5, 0.5, 0., 0.], [1., 0., 0., 0.]])
    mask = torch.tensor([[1., 1., 0., 0.], [0., 1., 0., 0.]])
    mean = JointCalibrationLoss()(k_out, mask)
    summed = JointCalibrationLoss(joint_reduction='sum')(k_out, mask)
    assert summed.item() == pytest.approx(4 * mean.item())
    assert summed.item() == pytest.approx((0.5 + 2) / 2)


def test_kl_calibration_is_the_divergence_from_the_key_joint_distribution():
    k_out = torch.tensor([[0.25, 0.25, 0.25, 0.25], [0.5, 0.5, 0., 0.]])
    mask = torch.tensor([[1., 1., 0., 0.], [1., 1., 0., 0.]])
    loss = JointCalibrationLoss(criterion='kl')(k_out, mask)
    # sample 1: sum 0.5 * log(0.5 / 0.25) = log 2; sample 2: exact match
    assert loss.item() == pytest.approx(torch.log(torch.tensor(2.)).item() / 2)
    logits = torch.zeros(1, 4, requires_grad=True)
    JointCalibrationLoss(criterion='kl')(logits.softmax(-1), mask[:1]).backward()
    # d KL / d logits = k_out - target: the full pull, not ~1/V of it
    assert torch.allclose(logits.grad, torch.tensor([[-0.25, -0.25, 0.25,
                                                      0.25]]))


def test_kl_calibration_pulls_a_saturated_softmax_back():
    # JID saturated on a non-key joint: the key joints' importance is ~1e-13,
    # far below any fixed floor such as 1e-8; the pull must not vanish.
    logits = torch.tensor([[0., 0., 30., 0.]], requires_grad=True)
    mask = torch.tensor([[1., 1., 0., 0.]])
    JointCalibrationLoss(criterion='kl')(logits.softmax(-1), mask).backward()
    assert torch.allclose(logits.grad, torch.tensor([[-0.5, -0.5, 1., 0.]]),
                          atol=1e-4)


def test_kl_calibration_skips_samples_without_key_joints():
    k_out = torch.tensor([[0.5, 0.5, 0., 0.], [0.25, 0.25, 0.25, 0.25]])
    mask = torch.tensor([[1., 1., 0., 0.], [0., 0., 0., 0.]])
    assert JointCalibrationLoss(criterion='kl')(k_out, mask).item() == \
        pytest.approx(0.)
    none = JointCalibrationLoss(criterion='kl')(k_out[1:], mask[1:])
    assert none.item() == 0. and torch.isfinite(none)


@pytest.mark.parametrize('kwargs, match', [
    (dict(criterion='l1'), 'criterion'),
    (dict(joint_reduction='max'), 'joint_reduction')])
def test_calibration_rejects_unknown_forms(kwargs, match):
    with pytest.raises(ValueError, match=match):
        JointCalibrationLoss(**kwargs)
