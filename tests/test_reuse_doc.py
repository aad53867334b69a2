"""docs/reuse.md's configs, read from the page, take a training step on a
tiny data set and text bank (MMAction2's ST-GCN with JID and the guidance;
AAGCN with the guidance only)."""
import os.path as osp
import re

import pytest
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope

from bad_input import text_dict
from crossglg_mmaction.text.annotations import save_annotations
from mmaction.registry import DATASETS, MODELS
from tiny_run import ROOT, write_data

DOC = osp.join(ROOT, 'docs', 'reuse.md')


def doc_configs(folder):
    """Write the page's ``# NAME.py`` blocks to ``folder``; name -> path."""
    with open(DOC, encoding='utf-8') as f:
        blocks = re.findall(r'```python\n# (\w+\.py)\n(.*?)```', f.read(),
                            re.S)
    paths = {}
    for name, body in blocks:
        paths[name] = osp.join(folder, name)
        with open(paths[name], 'w') as f:
            f.write(body)
    return paths


def tiny(cfg, folder):
    """Point a doc config at the tiny run's data and an 8-d TF-IDF bank."""
    ann_file, protocol = write_data(folder)
    text = osp.join(folder, 'text.json')
    save_annotations(text_dict(), text)
    train = cfg.train_dataloader.dataset.dataset
    train.update(ann_file=ann_file, protocol=protocol, num_base_classes=4)
    train.text_bank = dict(annotations=text,
                           encoder=dict(type='tfidf_svd', dim=8),
                           cache_dir=osp.join(folder, 'banks'),
                           text_channels=8)
    cfg.val_dataloader.dataset.update(ann_file=ann_file, protocol=protocol)
    cfg.model.backbone.base_channels = 8
    cfg.model.cls_head.update(num_classes=4, in_channels=32,
                              latent_channels=16)
    cfg.model.cls_head.guidance.update(text_channels=8, common_channels=8,
                                       num_heads=2)
    return cfg


@pytest.mark.parametrize('name, calibrates', [
    ('my_stgcn_crossglg.py', True),
    ('my_aagcn_guidance.py', False),
])
def test_doc_config_trains(tmp_path, name, calibrates):
    configs = doc_configs(str(tmp_path))
    assert sorted(configs) == ['my_aagcn_guidance.py', 'my_stgcn_crossglg.py']
    cfg = tiny(Config.fromfile(configs[name]), str(tmp_path))
    init_default_scope('mmaction')
    model = MODELS.build(cfg.model)
    train = DATASETS.build(cfg.train_dataloader.dataset)
    novel = DATASETS.build(cfg.val_dataloader.dataset)
    assert novel.metainfo['original_labels'] == (4, 5)
    wrapper = build_optim_wrapper(model, dict(
        optimizer=dict(type='SGD', lr=0.01)))
    losses = model.train_step(pseudo_collate([train[0], train[5]]), wrapper)
    assert {'loss_cls', 'loss_c'} <= set(losses)
    assert ('loss_calibrate' in losses) == calibrates
