"""Every config in configs/ parses, builds its model, and says what it is."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config
from mmengine.registry import init_default_scope

from crossglg_mmaction.models.export import inference_model_config
from mmaction.registry import MODELS

REPO = osp.join(osp.dirname(__file__), '..')
ROOT = osp.join(REPO, 'configs')
CONFIGS = sorted(
    p for folder in ('configs', 'benchmarks/configs')
    for p in glob.glob(osp.join(REPO, folder, '**', '*.py'), recursive=True)
    if '_base_' not in p)


def count(model):
    return sum(p.numel() for p in model.parameters())


@pytest.fixture(autouse=True)
def scope():
    init_default_scope('mmaction')


def test_configs_exist():
    names = {osp.basename(p)[:-3] for p in CONFIGS}
    for n in (20, 40, 60, 80, 100):
        assert {f'crossglg_ntu120_{n}base', f'infogcn_ntu120_{n}base'} <= names
    for n in (10, 20, 30, 40, 50):
        assert {f'crossglg_ntu60_{n}base', f'infogcn_ntu60_{n}base'} <= names
    assert {'crossglg_synthetic', 'infogcn_synthetic', 'crossglg_nwucla_5base',
            'crossglg_stgcn_ntu120_20base', 'crossglg_kinetics_20base',
            'crossglg_ntu120_dev'} <= names


@pytest.mark.parametrize('path', CONFIGS,
                         ids=[osp.relpath(p, REPO) for p in CONFIGS])
def test_config_builds_and_is_consistent(path):
    cfg = Config.fromfile(path)
    assert cfg.custom_imports['imports'] == ['crossglg_mmaction']
    assert cfg.default_scope == 'mmaction'
    with open(path) as f:
        header = f.read().split('_base_')[0]
    assert header.startswith('#') and 'Validation' in header, path
    model = MODELS.build(cfg.model)
    assert count(model) > 0
    dataset = cfg.train_dataloader.dataset
    if dataset.get('num_base_classes'):
        assert cfg.model.cls_head.num_classes == dataset.num_base_classes
    scaling = cfg.get('auto_scale_lr') or {}
    if scaling.get('enable'):  # one process trains at the configured lr
        assert scaling.base_batch_size == cfg.train_dataloader.batch_size
    head = cfg.model.cls_head
    if head.type == 'CrossGLGHead' and head.get('guidance', None) is not False:
        assert dataset.type == 'TextAnnotatedDataset'
        assert dataset.text_bank.text_channels == head.guidance.text_channels
    evaluators = cfg.val_evaluator if isinstance(cfg.val_evaluator, list) \
        else [cfg.val_evaluator]
    if any(e.type == 'JointImportanceMetric' for e in evaluators):
        assert cfg.model.backbone.get('importance'), path
        pack = cfg.val_dataloader.dataset.pipeline[-1]
        assert 'original_label' in pack.algorithm_keys, path


def test_paper_settings_of_the_main_ntu_config():
    cfg = Config.fromfile(osp.join(ROOT, 'crossglg_ntu120_20base.py'))
    assert cfg.model.backbone.importance.after_block == 5
    assert cfg.model.cls_head.guidance.num_blocks == 3
    assert cfg.model.cls_head.loss_calibrate.loss_weight == 0.5
    assert cfg.model.cls_head.loss_c.loss_weight == 0.2
    assert cfg.text_bank.encoder.model == 'microsoft/deberta-v2-xlarge'
    assert cfg.train_cfg.max_epochs == 110
    assert cfg.train_dataloader.batch_size == 64
    optimizer = cfg.optim_wrapper.optimizer
    assert (optimizer.lr, optimizer.weight_decay, optimizer.nesterov) == \
        (0.1, 5e-4, True)
    # lr 0.1 is for InfoGCN's single-GPU batch of 64; more GPUs scale it
    assert cfg.auto_scale_lr == dict(enable=True, base_batch_size=64)


def test_inference_model_is_barely_larger_than_the_base_encoder():
    # paper: 1.6M (InfoGCN) -> 1.7M (CrossGLG) at inference
    crossglg = Config.fromfile(osp.join(ROOT, 'crossglg_ntu120_20base.py'))
    infogcn = Config.fromfile(osp.join(ROOT, 'infogcn_ntu120_20base.py'))
    inference = count(MODELS.build(inference_model_config(crossglg.model)))
    base = count(MODELS.build(infogcn.model))
    assert base < inference <= base + 150_000
