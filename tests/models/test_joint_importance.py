import pytest
import torch

from crossglg_mmaction.models import InfoGCN, JointImportance


def test_k_out_is_a_distribution_over_joints():
    backbone = InfoGCN(importance=dict(after_block=5))
    feats, k_out = backbone(torch.randn(3, 2, 32, 25, 3))
    assert feats.shape == (3, 2, 256, 8, 25)
    assert k_out.shape == (3, 25)
    assert torch.all(k_out >= 0) and torch.all(k_out <= 1)
    assert torch.allclose(k_out.sum(-1), torch.ones(3))


def test_jid_reads_the_width_of_block_n_pre():
    for after_block, width in ((3, 64), (5, 128), (9, 256)):
        backbone = InfoGCN(importance=dict(after_block=after_block))
        assert backbone.importance.fc1.in_features == width


def test_reweight_scales_each_joint_as_in_eq1():
    x = torch.randn(2 * 2, 8, 4, 25)  # (N*M, C, T, V)
    k_out = torch.softmax(torch.randn(2, 25), dim=-1)
    out = JointImportance(in_channels=8, after_block=1).reweight(x, k_out)
    for n in range(2):
        for m in range(2):
            expected = x[n * 2 + m] * k_out[n][None, None, :]
            assert torch.allclose(out[n * 2 + m], expected)


def test_mean_one_weights_keep_the_feature_scale():
    x = torch.randn(2, 8, 4, 25)
    k_out = torch.softmax(torch.randn(2, 25), dim=-1)
    paper = JointImportance(in_channels=8, after_block=1).reweight(x, k_out)
    mean_one = JointImportance(in_channels=8, after_block=1,
                               weights='mean_one').reweight(x, k_out)
    assert torch.allclose(mean_one, 25 * paper)
    uniform = torch.full((2, 25), 1 / 25)
    assert torch.allclose(
        JointImportance(in_channels=8, after_block=1,
                        weights='mean_one').reweight(x, uniform), x)


def test_jid_pools_over_time_and_persons():
    jid = JointImportance(in_channels=4, after_block=1)
    x = torch.randn(2 * 2, 4, 6, 25)
    pooled = x.mean(2).view(2, 2, 4, 25).mean(1).transpose(1, 2)
    expected = jid.fc2(torch.relu(jid.fc1(pooled))).squeeze(-1).softmax(-1)
    assert torch.allclose(jid(x, num_persons=2), expected)


@pytest.mark.parametrize('apply_to', ['post_input', 'post_output'])
def test_positions_differ_below_last_block_and_agree_at_it(apply_to):
    torch.manual_seed(0)
    x = torch.randn(2, 2, 16, 25, 3)
    plain = InfoGCN().eval()
    guided = InfoGCN(importance=dict(after_block=9, apply_to=apply_to))
    guided.load_state_dict(plain.state_dict(), strict=False)
    guided.eval()
    feats, k_out = guided(x)
    expected = plain(x) * k_out[:, None, None, None, :]
    assert torch.allclose(feats, expected, atol=1e-6)


def test_default_reweights_final_features_as_in_eq1():
    torch.manual_seed(0)
    x = torch.randn(2, 2, 16, 25, 3)
    plain = InfoGCN().eval()
    guided = InfoGCN(importance=dict(after_block=5))
    assert guided.importance.apply_to == 'post_output'
    guided.load_state_dict(plain.state_dict(), strict=False)
    guided.eval()
    feats, k_out = guided(x)
    assert torch.allclose(
        feats, plain(x) * k_out[:, None, None, None, :], atol=1e-6)
    early = InfoGCN(importance=dict(after_block=5, apply_to='post_input'))
    early.load_state_dict(guided.state_dict())
    early.eval()
    assert not torch.allclose(early(x)[0], feats)


@pytest.mark.parametrize('importance, message', [
    (dict(after_block=0), r'after_block must be an integer in 1\.\.9'),
    (dict(after_block=10), r'in 1\.\.9'),
    (dict(after_block='5'), 'after_block'),
    (dict(), 'after_block'),
    (dict(after_block=5, apply_to='pre'), 'apply_to'),
    (dict(after_block=5, weights='sigmoid'), 'weights'),
    (dict(after_block=5, hidden=3), 'unknown keys'),
])
def test_bad_importance_config_is_rejected(importance, message):
    with pytest.raises(ValueError, match=message):
        InfoGCN(importance=importance)
