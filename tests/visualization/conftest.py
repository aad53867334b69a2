"""Fixtures of the visualization tests."""
import pytest
import torch


@pytest.fixture(autouse=True)
def one_thread():
    """Run the tiny models on one thread: their ops are too small to gain
    from OpenMP, whose hand-offs cost seconds when the cores are busy."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture
def captured(monkeypatch):
    """Keeps the figures the plotting modules save, for inspection."""
    from crossglg_mmaction.visualization import attention, importance, \
        skeleton3d

    figures = []
    for module in (attention, importance, skeleton3d):
        original = module.save_png

        def keep(fig, out_file, _original=original, **kwargs):
            figures.append(fig)
            return _original(fig, out_file, **kwargs)

        monkeypatch.setattr(module, 'save_png', keep)
    return figures


CROSSGLG = """
_base_ = {base!r}
tiny = {data!r}
model = dict(
    backbone=dict(base_channels=8),
    cls_head=dict(num_classes=3, in_channels=32, latent_channels=32,
                  guidance=dict(text_channels=8, common_channels=8)))
train_dataloader = dict(
    dataset=dict(ann_file=tiny + '/synthetic_3d.pkl',
                 protocol=tiny + '/protocol.json',
                 class_names=tiny + '/classes.txt', num_base_classes=3,
                 text_bank=dict(annotations=tiny + '/annotations.json',
                                cache_dir=tiny + '/banks',
                                encoder=dict(_delete_=True, type='tfidf_svd',
                                             dim=8),
                                text_channels=8)))
val_dataloader = dict(
    dataset=dict(ann_file=tiny + '/synthetic_3d.pkl',
                 protocol=tiny + '/protocol.json',
                 class_names=tiny + '/classes.txt'))
test_dataloader = val_dataloader
"""
BASELINE = """
_base_ = {base!r}
tiny = {data!r}
model = dict(
    backbone=dict(base_channels=8),
    cls_head=dict(num_classes=3, in_channels=32, latent_channels=32))
train_dataloader = dict(
    dataset=dict(ann_file=tiny + '/synthetic_3d.pkl',
                 protocol=tiny + '/protocol.json',
                 class_names=tiny + '/classes.txt', num_base_classes=3))
val_dataloader = dict(
    dataset=dict(ann_file=tiny + '/synthetic_3d.pkl',
                 protocol=tiny + '/protocol.json',
                 class_names=tiny + '/classes.txt'))
test_dataloader = val_dataloader
"""
CONFIGS = dict(crossglg=('crossglg_synthetic.py', CROSSGLG),
               baseline=('infogcn_synthetic.py', BASELINE))


@pytest.fixture(scope='session')
def tiny_models(tmp_path_factory):
    """Tiny versions of configs/{crossglg,infogcn}_synthetic.py on a 6-class
    synthetic set (classes 0-2 base, 3-5 novel, 4 samples each), with
    freshly initialised checkpoints: name -> (config, checkpoint), and
    'data' -> the data directory."""
    import os.path as osp

    import torch
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    from crossglg_mmaction_demo.synthetic import (SyntheticSpec,
                                                  write_synthetic)
    from mmaction.registry import MODELS

    root = tmp_path_factory.mktemp('vis_models')
    data = str(root / 'data')
    write_synthetic(
        SyntheticSpec(num_classes=6, num_novel=3, samples_per_class=4,
                      num_subjects=2, frames=(16, 20)), data)
    configs = osp.join(osp.dirname(__file__), '..', '..', 'configs')
    init_default_scope('mmaction')
    result = dict(data=data)
    for name, (base, text) in CONFIGS.items():
        config = str(root / f'tiny_{name}.py')
        with open(config, 'w') as f:
            f.write(text.format(base=osp.abspath(osp.join(configs, base)),
                                data=data))
        model = MODELS.build(Config.fromfile(config).model)
        checkpoint = str(root / f'{name}.pth')
        torch.save(dict(meta=dict(), state_dict=model.state_dict()),
                   checkpoint)
        result[name] = (config, checkpoint)
    return result
