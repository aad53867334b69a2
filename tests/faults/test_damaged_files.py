"""Damaged caches and checkpoints are detected with a message naming the
file and what to do: caches are rebuilt, checkpoints refused."""
import logging
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config, DictAction
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

from crossglg_mmaction.checkpoint import CorruptCheckpointError
from crossglg_mmaction.evaluation.checkpoint_eval import evaluate_checkpoint
from crossglg_mmaction.evaluation.feature_cache import (load_features,
                                                        save_features)
from crossglg_mmaction.models.export import export_inference_checkpoint
from crossglg_mmaction.text.bank import get_text_bank, load_text_bank
from crossglg_mmaction.visualization.extraction import load_model
from tool_runner import ROOT, text_options, tiny_train_options

CONFIG = osp.join(ROOT, 'configs', 'crossglg_synthetic.py')


def damage(path, how):
    """Cut a file in half, or change 8 bytes in its middle (inside array
    data, where only a CRC notices)."""
    with open(path, 'rb') as f:
        data = f.read()
    middle = len(data) // 2
    data = data[:middle] if how == 'truncated' else \
        data[:middle] + b'\xa5' * 8 + data[middle + 8:]
    with open(path, 'wb') as f:
        f.write(data)


@pytest.mark.parametrize('how', ['truncated', 'bytes-changed'])
def test_damaged_text_bank_cache_is_rebuilt(tmp_path, caplog, how):
    encoder = dict(type='tfidf_svd', dim=8)
    bank = get_text_bank('synthetic', encoder, cache_dir=str(tmp_path),
                         labels=[0, 1])
    damage(bank.path, how)
    with pytest.raises(ValueError, match=f'{bank.path}: not a readable text '
                       'bank .*delete it and build it again'):
        load_text_bank(bank.path)
    with caplog.at_level(logging.WARNING):
        again = get_text_bank('synthetic', encoder,
                              cache_dir=str(tmp_path), labels=[0, 1])
    assert 'cannot read cached text bank' in caplog.text
    np.testing.assert_array_equal(load_text_bank(bank.path).embeddings,
                                  again.embeddings)


@pytest.mark.parametrize('how', ['truncated', 'bytes-changed'])
def test_damaged_feature_cache_is_reported_corrupt(tmp_path, how):
    path = str(tmp_path / 'features.npz')
    save_features(path, dict(embedding=np.ones((500, 16), np.float32)), 'k')
    damage(path, how)
    arrays, status = load_features(path, 'k')
    assert arrays is None and status.startswith('corrupt: ')


@pytest.fixture(scope='module')
def tiny_cfg(tiny_synthetic, tmp_path_factory):
    work_dir = tmp_path_factory.mktemp('damaged_checkpoints')
    options = tiny_train_options(tiny_synthetic, work_dir) + text_options(
        tiny_synthetic, work_dir)
    cfg = Config.fromfile(CONFIG)
    cfg.merge_from_dict({
        k: DictAction._parse_iterable(v)
        for k, v in (o.split('=', 1) for o in options)
    })
    return cfg


@pytest.fixture
def changed_checkpoint(tmp_path, tiny_cfg):
    """A checkpoint of the tiny model with bytes changed in a tensor,
    which torch would load without complaint."""
    from mmaction.registry import MODELS
    init_default_scope('mmaction')
    path = str(tmp_path / 'epoch_1.pth')
    model = MODELS.build(tiny_cfg.model)
    torch.save(dict(state_dict=model.state_dict(), meta=dict(epoch=1)), path)
    damage(path, 'bytes-changed')
    torch.load(path, weights_only=True)  # no error from torch
    return path


def test_resume_refuses_a_damaged_last_checkpoint(tiny_cfg, tmp_path,
                                                  changed_checkpoint):
    """`--resume` through the demo config: CheckpointCheckHook (enabled in
    configs/_base_/default_runtime.py) stops it before MMEngine loads."""
    cfg = tiny_cfg.copy()
    cfg.merge_from_dict(dict(work_dir=str(tmp_path), resume=True))
    with open(tmp_path / 'last_checkpoint', 'w') as f:
        f.write(changed_checkpoint)
    with pytest.raises(CorruptCheckpointError, match=(
            f'checkpoint {changed_checkpoint} is corrupt .*: delete it .* '
            r'--resume took its name from .*last_checkpoint')):
        Runner.from_cfg(cfg).train()


def test_tools_refuse_damaged_checkpoints(tiny_cfg, tmp_path,
                                          changed_checkpoint):
    match = f'checkpoint {changed_checkpoint} is corrupt .*delete it'
    config = str(tmp_path / 'tiny.py')
    tiny_cfg.dump(config)
    with pytest.raises(CorruptCheckpointError, match=match):
        load_model(config, changed_checkpoint)
    with pytest.raises(CorruptCheckpointError, match=match):
        export_inference_checkpoint(tiny_cfg, changed_checkpoint,
                                    str(tmp_path / 'inference.pth'))
    assert not osp.exists(tmp_path / 'inference.pth')

    with pytest.raises(CorruptCheckpointError, match=match):
        evaluate_checkpoint(config, changed_checkpoint,
                            work_dir=str(tmp_path))
