import pytest
import torch

from crossglg_mmaction.models import CrossGLGHead, InfoGCNHead


def feats(n=4, channels=256, joints=25):
    return torch.randn(n, 2, channels, 8, joints)


def test_infogcn_head_losses_and_prior_buffer(make_samples):
    head = InfoGCNHead(num_classes=5)
    assert 'z_prior' in head.state_dict()
    assert 'z_prior' not in dict(head.named_parameters())
    losses = head.loss(feats(), make_samples([0, 1, 1, 4]))
    assert {'loss_cls', 'loss_mmd', 'loss_latent_norm'} <= set(losses)
    assert all(torch.isfinite(v) for v in losses.values())


def test_infogcn_head_is_deterministic_at_test_and_stores_embeddings(make_samples):
    head = InfoGCNHead(num_classes=5).eval()
    x = feats()
    assert torch.equal(head(x), head(x))
    samples = head.predict(x, make_samples([0, 1, 2, 3]))
    assert samples[0].pred_score.shape == (5, )
    hidden = samples[0].embedding
    assert hidden.shape == (256, ) and torch.all(hidden >= 0)
    mu = InfoGCNHead(num_classes=5, embedding='mu').eval()
    mu.load_state_dict(head.state_dict())
    assert not torch.equal(
        mu.predict(x, make_samples([0, 1, 2, 3]))[0].embedding, hidden)


def test_embeddings_are_averaged_over_clips(make_samples):
    head = InfoGCNHead(num_classes=5).eval()
    x = feats(n=6)  # 2 samples x 3 clips
    samples = head.predict(x, make_samples([0, 1]))
    expected = head.encode(x)['hidden'].view(2, 3, -1).mean(1)
    assert torch.allclose(samples[1].embedding, expected[1])


def test_infogcn_head_rejects_unknown_embedding():
    with pytest.raises(ValueError, match='embedding'):
        InfoGCNHead(num_classes=5, embedding='z')


def crossglg_head(**kwargs):
    guidance = dict(type='CrossModalGuidance', text_channels=32,
                    common_channels=64, num_heads=4)
    guidance.update(kwargs.pop('guidance', {}))
    return CrossGLGHead(num_classes=5, guidance=guidance, **kwargs)


def test_crossglg_head_losses_all_present_and_finite(make_samples):
    head = crossglg_head()
    k_out = torch.softmax(torch.randn(4, 25), -1)
    losses = head.loss(feats(), make_samples([0, 1, 2, 3], 32), k_out=k_out)
    assert {'loss_s', 'loss_c', 'loss_calibrate', 'loss_mmd',
            'loss_latent_norm'} <= set(losses)
    assert all(torch.isfinite(v) for v in losses.values())


def test_alpha_weights_scale_their_losses(make_samples):
    torch.manual_seed(0)
    x, k_out = feats(), torch.softmax(torch.randn(4, 25), -1)
    samples = make_samples([0, 1, 2, 3], 32)
    base = crossglg_head(
        loss_c=dict(type='CrossEntropyLoss', loss_weight=1.),
        loss_calibrate=dict(type='JointCalibrationLoss', loss_weight=1.))
    scaled = crossglg_head(
        loss_c=dict(type='CrossEntropyLoss', loss_weight=0.2),
        loss_calibrate=dict(type='JointCalibrationLoss', loss_weight=0.5))
    scaled.load_state_dict(base.state_dict())
    base.eval(), scaled.eval()  # z = mu: no sampling noise
    one = base.loss(x, samples, k_out=k_out)
    two = scaled.loss(x, samples, k_out=k_out)
    assert two['loss_c'].item() == pytest.approx(0.2 * one['loss_c'].item())
    assert two['loss_calibrate'].item() == pytest.approx(
        0.5 * one['loss_calibrate'].item())
    assert two['loss_s'].item() == pytest.approx(one['loss_s'].item())


def test_ablation_switches_remove_their_parts(make_samples):
    g2l_only = CrossGLGHead(num_classes=5, guidance=False)
    assert g2l_only.guidance is None
    losses = g2l_only.loss(
        feats(), make_samples([0, 1, 2, 3], 32),
        k_out=torch.full((4, 25), 0.04))
    assert 'loss_c' not in losses and 'loss_calibrate' in losses
    no_text_attention = crossglg_head(
        guidance=dict(text_self_attention=False))
    block = no_text_attention.guidance.blocks[0]
    assert not hasattr(block, 'text_attn')
    with_attention = crossglg_head()
    assert hasattr(with_attention.guidance.blocks[0], 'text_attn')
    l2g_only = crossglg_head(loss_calibrate=False)
    assert l2g_only.loss_calibrate is None


def test_guidance_branch_reads_the_text(make_samples):
    torch.manual_seed(0)
    head = crossglg_head().eval()
    x = feats()
    one = head.loss(x, make_samples([0, 1, 2, 3], 32))['loss_c']
    other = head.loss(x, make_samples([4, 1, 2, 3], 32))['loss_c']
    assert one.item() != pytest.approx(other.item())


def test_missing_text_fields_give_a_clear_error(make_samples):
    head = crossglg_head()
    with pytest.raises(KeyError, match="text_embedding.*TextAnnotatedDataset"):
        head.loss(feats(), make_samples([0, 1, 2, 3]))


def test_text_width_mismatch_is_named(make_samples):
    head = crossglg_head()
    with pytest.raises(ValueError, match='width 32'):
        head.loss(feats(), make_samples([0, 1, 2, 3], 48))


def test_predict_needs_no_text(make_samples):
    head = crossglg_head().eval()
    samples = head.predict(feats(), make_samples([0, 1, 2, 3]))
    assert samples[0].pred_score.shape == (5, )
    assert samples[0].embedding.shape == (256, )
