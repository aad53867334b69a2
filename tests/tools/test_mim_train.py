"""`mim train` on the real configs, shrunk to seconds with --cfg-options."""
import glob
import os.path as osp
import sys

import pytest
import torch

from tool_runner import run, text_options, tiny_train_options

pytestmark = pytest.mark.slow


def mim_train(config, options, *extra):
    result = run([
        sys.executable, '-m', 'mim', 'train', 'mmaction', config,
        '--launcher', 'none', *extra, '--cfg-options', *options
    ])
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    return result.stdout + result.stderr


def test_infogcn_synthetic_trains_and_validates(tiny_synthetic, tmp_path):
    log = mim_train('configs/infogcn_synthetic.py',
                    tiny_train_options(tiny_synthetic, tmp_path))
    assert 'oneshot/top1' in log
    assert osp.exists(tmp_path / 'epoch_1.pth')


def test_crossglg_synthetic_saves_resumes_and_loads(tiny_synthetic, tmp_path):
    options = (tiny_train_options(tiny_synthetic, tmp_path) +
               text_options(tiny_synthetic, tmp_path))
    log = mim_train('configs/crossglg_synthetic.py', options)
    for name in ('loss_cls', 'loss_c', 'loss_calibrate', 'oneshot/top1'):
        assert name in log
    assert glob.glob(str(tmp_path / 'banks' / '*.npz'))
    first = torch.load(tmp_path / 'epoch_1.pth', weights_only=True)
    assert first['meta']['epoch'] == 1

    resume_options = [o for o in options if not o.startswith('train_cfg.max')]
    log = mim_train('configs/crossglg_synthetic.py',
                    resume_options + ['train_cfg.max_epochs=2'], '--resume')
    assert 'resumed epoch: 1' in log
    second = torch.load(tmp_path / 'epoch_2.pth', weights_only=True)
    assert second['meta']['epoch'] == 2

    load_dir = tmp_path / 'loaded'
    load_options = [o for o in options if not o.startswith('work_dir')]
    log = mim_train(
        'configs/crossglg_synthetic.py', load_options + [
            f'work_dir={load_dir}', f'load_from={tmp_path}/epoch_2.pth'
        ])
    assert f'Load checkpoint from {tmp_path}/epoch_2.pth' in log
