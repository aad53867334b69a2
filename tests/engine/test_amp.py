"""Mixed precision (issue 14, item 2): CrossGLG trains through MMEngine's
``AmpOptimWrapper`` with bfloat16 autocast on the CPU, its sensitive parts
in float32, with the same losses and one-shot metric as in float32."""
import contextlib
import io
import math

import pytest
import torch
from mmengine.config import Config
from mmengine.optim.optimizer import amp_optimizer_wrapper
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

from test_startup_checks import text_file
from tiny_run import TinyRun

pytestmark = pytest.mark.slow  # minutes: float32 and bfloat16 runs

AMP = dict(type='AmpOptimWrapper', dtype='bfloat16',
           optimizer=dict(type='SGD', lr=0.01, momentum=0.9))


@pytest.fixture
def tiny(tmp_path):
    init_default_scope('mmaction')
    return TinyRun(str(tmp_path), text_file(str(tmp_path / 'text.json')))


@pytest.fixture
def amp_on_cpu(monkeypatch):
    """``AmpOptimWrapper`` refuses to start without a GPU. Past that
    check, on the CPU it runs ``torch.autocast('cpu', bfloat16)`` and its
    (CUDA) loss scaler switches itself off: bfloat16 needs no scaling."""
    monkeypatch.setattr(amp_optimizer_wrapper, 'is_cuda_available',
                        lambda: True)


def runner_of(tiny, name, **options):
    cfg = Config.fromfile(tiny.config)
    cfg.merge_from_dict(dict(work_dir=f'{tiny.work_dir}_{name}', **options))
    with contextlib.redirect_stdout(io.StringIO()):
        return Runner.from_cfg(cfg)


def train(tiny, name, epochs=3, **options):
    """Train; return the runner, per-iteration losses and the dtypes the
    first convolution, JID, the attention and the guidance produced."""
    runner = runner_of(tiny, name, **{'train_cfg.max_epochs': epochs},
                       **options)
    model = runner.model
    dtypes = {}

    def record(name):
        def hook(module, args, output):
            output = output[1] if isinstance(output, tuple) else output
            if model.training:
                dtypes.setdefault(name, output.dtype)
        return hook

    model.backbone.blocks[0].tcn.branches[0][0].register_forward_hook(
        record('conv'))
    model.backbone.blocks[0].agcn.attn.register_forward_hook(
        record('attention'))
    model.backbone.importance.register_forward_hook(record('k_out'))
    model.cls_head.guidance.register_forward_hook(record('f_c'))
    runner.train()
    history = runner.message_hub.log_scalars
    losses = {key: list(history[key].data[0])
              for key in history if key.startswith('train/loss')}
    return runner, losses, dtypes


def test_bfloat16_training_matches_float32(tiny, amp_on_cpu):
    _, full, full_dtypes = train(tiny, 'fp32')
    runner, amp, dtypes = train(tiny, 'bf16', optim_wrapper=AMP)
    assert type(runner.optim_wrapper).__name__ == 'AmpOptimWrapper'
    assert full_dtypes['conv'] == torch.float32
    assert dtypes == dict(conv=torch.bfloat16, attention=torch.float32,
                          k_out=torch.float32, f_c=torch.float32)
    assert set(amp) == set(full) >= {
        'train/loss', 'train/loss_cls', 'train/loss_c',
        'train/loss_calibrate', 'train/loss_mmd'}
    for key in full:
        assert all(math.isfinite(v) for v in amp[key]), key
        for a, f in zip(amp[key], full[key], strict=True):
            assert a == pytest.approx(f, rel=0.05, abs=1e-3), key


def test_bfloat16_evaluation_keeps_the_one_shot_metric(tiny):
    runner = runner_of(tiny, 'eval', **{'train_cfg.max_epochs': 3})
    runner.train()
    full = runner.val_loop.run()
    runner.val_loop.fp16 = True  # ValLoop's autocast: bfloat16 on CPU
    amp = runner.val_loop.run()
    assert amp['oneshot/top1'] == pytest.approx(full['oneshot/top1'],
                                                abs=1 / 6)
