"""``torch.compile`` through MMEngine's ``compile`` setting (issue 14, item
3): TorchDynamo traces MMEngine's ``train_step`` (data preprocessor,
CrossGLG forward, losses, optimizer step) and training goes on.

The ``eager`` backend runs the traced graphs without code generation: the
tracing is what can break (it did on numpy text fields, see
docs/performance.md), while inductor's C++ compilation of the same graphs
takes tens of minutes on the 2-core test machine."""
import math

import pytest

from test_amp import runner_of, tiny  # noqa: F401 (fixture)

pytestmark = pytest.mark.slow


def test_compiled_train_step_trains(tiny):  # noqa: F811
    runner = runner_of(tiny, 'compiled', compile=dict(backend='eager'),
                       **{'train_cfg.max_epochs': 3,
                          'train_cfg.val_interval': 10})
    runner.train()
    assert hasattr(runner.model.train_step, '_torchdynamo_orig_callable')
    history = runner.message_hub.log_scalars
    losses = list(history['train/loss'].data[0])
    assert len(losses) == 3 and all(math.isfinite(v) for v in losses)
    for key in ('loss_c', 'loss_calibrate', 'loss_mmd'):
        assert all(math.isfinite(v) for v in history[f'train/{key}'].data[0])
