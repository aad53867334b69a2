import pytest
import torch
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper

from crossglg_mmaction.models.export import (export_inference_checkpoint,
                                             inference_model_config)
from mmaction.registry import MODELS

TEXT_CHANNELS = 32


def model_cfg(**backbone):
    backbone = dict(type='InfoGCN', base_channels=16,
                    importance=dict(after_block=5), **backbone)
    return dict(
        type='CrossGLGRecognizer',
        backbone=backbone,
        cls_head=dict(
            type='CrossGLGHead', num_classes=4, in_channels=64,
            latent_channels=64,
            guidance=dict(type='CrossModalGuidance',
                          text_channels=TEXT_CHANNELS, common_channels=32,
                          num_heads=4)))


def inputs(n=4):
    torch.manual_seed(0)
    return torch.randn(n, 1, 2, 16, 25, 3)


def test_train_step_with_a_real_optimizer_wrapper(make_samples):
    model = MODELS.build(model_cfg())
    wrapper = build_optim_wrapper(model, dict(
        optimizer=dict(type='SGD', lr=0.1, momentum=0.9, nesterov=True,
                       weight_decay=5e-4)))
    before = model.backbone.blocks[0].agcn.conv_d[0].weight.clone()
    data = dict(inputs=list(inputs()), data_samples=make_samples(
        [0, 1, 2, 3], TEXT_CHANNELS))
    log_vars = model.train_step(data, wrapper)
    assert {'loss', 'loss_cls', 'loss_c', 'loss_calibrate'} <= set(log_vars)
    assert torch.isfinite(log_vars['loss'])
    after = model.backbone.blocks[0].agcn.conv_d[0].weight
    assert not torch.equal(before, after)


def test_guidance_gradient_reaches_the_encoder_blocks(make_samples):
    model = MODELS.build(model_cfg())
    losses = model(inputs(), make_samples([0, 1, 2, 3], TEXT_CHANNELS),
                   mode='loss')
    losses['loss_c'].backward()
    for block in (model.backbone.blocks[0], model.backbone.blocks[8]):
        grad = block.agcn.conv_d[0].weight.grad
        assert grad is not None and grad.abs().sum() > 0
    # the text branch and the shared classifier learn from it too
    assert model.cls_head.guidance.text_proj[0].weight.grad.abs().sum() > 0
    assert model.cls_head.decoder.weight.grad.abs().sum() > 0


def test_calibration_gradient_reaches_jid_and_earlier_blocks(make_samples):
    model = MODELS.build(model_cfg())
    losses = model(inputs(), make_samples([0, 1, 2, 3], TEXT_CHANNELS),
                   mode='loss')
    losses['loss_calibrate'].backward()
    assert model.backbone.importance.fc1.weight.grad.abs().sum() > 0
    assert model.backbone.blocks[0].agcn.conv_d[0].weight.grad.abs().sum() > 0
    assert model.backbone.blocks[8].agcn.conv_d[0].weight.grad is None


def test_predict_and_tensor_modes_need_no_text(make_samples):
    model = MODELS.build(model_cfg()).eval()
    samples = model(inputs(2), make_samples([0, 1]), mode='predict')
    assert samples[0].pred_score.shape == (4, )
    assert samples[0].embedding.shape == (64, )
    importance = samples[0].joint_importance
    assert importance.shape == (25, )
    assert importance.sum().item() == pytest.approx(1.)
    assert model(inputs(2), mode='tensor').shape == (2, 2, 64, 4, 25)


def test_stock_recognizer_works_without_jid(make_samples):
    model = MODELS.build(dict(
        type='RecognizerGCN', backbone=dict(type='InfoGCN', base_channels=16),
        cls_head=dict(type='InfoGCNHead', num_classes=4, in_channels=64)))
    losses = model(inputs(), make_samples([0, 1, 2, 3]), mode='loss')
    assert torch.isfinite(losses['loss_cls'])


def test_calibration_without_jid_is_a_startup_error():
    cfg = model_cfg()
    cfg['backbone'].pop('importance')
    with pytest.raises(ValueError, match='no joint importance module'):
        MODELS.build(cfg)


def test_stgcn_with_jid_trains_with_the_crossglg_head(make_samples):
    model = MODELS.build(dict(
        type='CrossGLGRecognizer',
        backbone=dict(
            type='STGCNWithImportance', importance=dict(after_block=6),
            base_channels=16, graph_cfg=dict(layout='nturgb+d',
                                             mode='stgcn_spatial')),
        cls_head=dict(
            type='CrossGLGHead', num_classes=4, in_channels=64,
            latent_channels=64,
            guidance=dict(type='CrossModalGuidance',
                          text_channels=TEXT_CHANNELS, common_channels=32,
                          num_heads=4))))
    losses = model(inputs(), make_samples([0, 1, 2, 3], TEXT_CHANNELS),
                   mode='loss')
    assert {'loss_cls', 'loss_c', 'loss_calibrate'} <= set(losses)


def test_inference_export_drops_guidance_and_predicts_the_same(
        tmp_path, make_samples):
    cfg = Config(dict(model=model_cfg()))
    model = MODELS.build(cfg.model).eval()
    checkpoint = tmp_path / 'train.pth'
    torch.save(dict(state_dict=model.state_dict()), checkpoint)
    counts = export_inference_checkpoint(cfg, str(checkpoint),
                                         str(tmp_path / 'infer.pth'))
    guidance = sum(p.numel() for p in model.cls_head.guidance.parameters())
    assert counts['training_parameters'] - counts['inference_parameters'] \
        == guidance
    exported = torch.load(tmp_path / 'infer.pth', weights_only=True)
    assert not any('guidance' in k for k in exported['state_dict'])
    infer = MODELS.build(inference_model_config(cfg.model)).eval()
    infer.load_state_dict(exported['state_dict'])
    x = inputs(2)
    a = model(x, make_samples([0, 1]), mode='predict')
    b = infer(x, make_samples([0, 1]), mode='predict')
    assert torch.allclose(a[0].pred_score, b[0].pred_score)
    assert torch.allclose(a[1].embedding, b[1].embedding)


def test_export_refuses_a_checkpoint_of_another_model(tmp_path):
    cfg = Config(dict(model=model_cfg()))
    other = MODELS.build(dict(
        type='RecognizerGCN', backbone=dict(type='InfoGCN', base_channels=16),
        cls_head=dict(type='InfoGCNHead', num_classes=4, in_channels=64)))
    checkpoint = tmp_path / 'other.pth'
    torch.save(dict(state_dict=other.state_dict()), checkpoint)
    with pytest.raises(ValueError, match='does not fit the model'):
        export_inference_checkpoint(cfg, str(checkpoint),
                                    str(tmp_path / 'out.pth'))
    assert not (tmp_path / 'out.pth').exists()


def test_the_advice_for_a_backbone_without_jid_works(make_samples):
    cfg = model_cfg()
    cfg['backbone'].pop('importance')
    with pytest.raises(ValueError, match='loss_calibrate=False') as info:
        MODELS.build(cfg)
    assert 'cls_head.loss_calibrate=False' in str(info.value)
    cfg['cls_head']['loss_calibrate'] = False  # the advice
    losses = MODELS.build(cfg)(
        inputs(), make_samples([0, 1, 2, 3], TEXT_CHANNELS), mode='loss')
    assert 'loss_c' in losses and 'loss_calibrate' not in losses
