"""A test-only hook that freezes training at a chosen iteration, so a test
can kill the process mid-epoch at a known point (imported by the run's
config through custom_imports; PYTHONPATH must include this folder)."""
import os
import time

from mmengine.hooks import Hook

from mmaction.registry import HOOKS


@HOOKS.register_module()
class PauseHook(Hook):
    """After iteration ``batch_idx`` of 0-based epoch ``epoch``: write
    ``marker`` and sleep until killed (after every other hook, so the
    iteration is logged)."""
    priority = 'LOWEST'

    def __init__(self, epoch, batch_idx, marker):
        self.epoch = epoch
        self.batch_idx = batch_idx
        self.marker = marker

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        if runner.epoch == self.epoch and batch_idx == self.batch_idx:
            with open(self.marker, 'w') as f:
                f.write(str(os.getpid()))
            time.sleep(600)
