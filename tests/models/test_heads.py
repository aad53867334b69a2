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
    assert {'loss_cls', 'loss_c', 'loss_calibrate', 'loss_mmd',
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
    assert two['loss_cls'].item() == pytest.approx(one['loss_cls'].item())


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


def test_without_text_residual_the_text_only_chooses_joints():
    """Eq. 5 without the text term: a skeleton whose joints are all alike
    gives the same f_c whatever the text says; with it, the text shows."""
    torch.manual_seed(0)
    same_joints = torch.randn(2, 1, 256, 4, 1).expand(2, 1, 256, 4, 25)
    texts = torch.randn(2, 25, 32), torch.randn(2, 25, 32)
    for text_residual in (False, True):
        head = crossglg_head(guidance=dict(text_residual=text_residual))
        head.eval()
        f_c = [head.guidance(same_joints, text) for text in texts]
        assert torch.allclose(f_c[0], f_c[1], atol=1e-5) != text_residual


def test_skeleton_residual_passes_the_joint_features_through():
    """With the cross-attention silenced, only the skeleton residual lets
    the joint features reach f_c."""
    torch.manual_seed(0)
    x, text = feats(), torch.randn(4, 25, 32)
    for skeleton_residual in (False, True):
        head = crossglg_head(guidance=dict(
            text_residual=False, skeleton_residual=skeleton_residual))
        for block in head.guidance.blocks:
            torch.nn.init.zeros_(block.cross_attn.out_proj.weight)
            torch.nn.init.zeros_(block.cross_attn.out_proj.bias)
        f_c = head.guidance(x, text)
        varies = not torch.allclose(f_c[0], f_c[1], atol=1e-6)
        assert varies == skeleton_residual


def test_guidance_diagnostics_measure_what_they_name(make_samples):
    torch.manual_seed(0)
    head = crossglg_head().eval()
    samples = make_samples([0, 1, 2, 3], 32)
    k_gt = torch.zeros(4, 25)
    k_gt[:, :5] = 1
    for sample, mask in zip(samples, k_gt):
        sample.set_field(mask, 'key_joints')
    stats = head.guidance_diagnostics(feats(), samples, k_out=k_gt / 5)
    assert stats['jid/cosine_key_joints'] == pytest.approx(1.)
    assert stats['jid/effective_joints'] == pytest.approx(5.)
    assert stats['guidance/skeleton_dependence'] > 0
    assert stats['guidance/text_dependence'] > 0
    assert 0 <= stats['guidance/top1_skeleton_permuted'] <= 1
    # one text for the whole batch: permuting it changes nothing
    stats = head.guidance_diagnostics(feats(), make_samples([0, 0, 0, 0], 32))
    assert stats['guidance/text_dependence'] == pytest.approx(0., abs=1e-6)
    assert 'jid/cosine_key_joints' not in stats


def test_heads_log_the_skeleton_branch_under_one_name(make_samples):
    samples = make_samples([0, 1, 2, 3], 32)
    infogcn = InfoGCNHead(num_classes=5).loss(feats(), samples)
    crossglg = crossglg_head().loss(feats(), samples)
    assert 'loss_cls' in infogcn and 'loss_cls' in crossglg
    assert 'loss_s' not in crossglg


def test_false_switches_parts_off_and_none_keeps_the_default():
    assert CrossGLGHead(num_classes=5, guidance=False,
                        loss_calibrate=False).loss_calibrate is None
    default = CrossGLGHead(num_classes=5, guidance=None, loss_calibrate=None)
    assert default.guidance is not None
    assert default.loss_calibrate is not None
    assert InfoGCNHead(num_classes=5, loss_mmd=False).loss_mmd is None
