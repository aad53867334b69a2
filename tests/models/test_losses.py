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
