"""Check the checkpoint a run loads or resumes from before MMEngine does."""
import os.path as osp

from mmengine.hooks import Hook
from mmengine.runner.checkpoint import find_latest_checkpoint

from mmaction.registry import HOOKS
from ...checkpoint import CorruptCheckpointError, check_checkpoint_file


@HOOKS.register_module()
class CheckpointCheckHook(Hook):
    """Stop a run early, with a clear message, when its checkpoint is damaged.

    Before the runner loads ``load_from`` or resumes (``--resume``: the file
    named by ``WORK_DIR/last_checkpoint``, or ``--resume PATH``), the local
    file is checked with :func:`crossglg_mmaction.checkpoint.
    check_checkpoint_file`; a damaged one raises
    :class:`CorruptCheckpointError` naming it and what to do, instead of
    torch's unpickling errors. Remote checkpoints (URLs) are left to
    MMEngine.
    """
    priority = 'VERY_HIGH'

    def before_run(self, runner) -> None:
        """Check the checkpoint that ``load_or_resume`` will read."""
        path = getattr(runner, '_load_from', None)
        latest = osp.join(runner.work_dir, 'last_checkpoint')
        auto_resume = getattr(runner, '_resume', False) and path is None
        if auto_resume and osp.isfile(latest):
            path = find_latest_checkpoint(runner.work_dir)
            if not path:
                raise CorruptCheckpointError(
                    f'{latest} is empty (a run killed while writing it): '
                    'write the path of the latest intact checkpoint there, '
                    'or pass --resume PATH')
        if not path or not osp.isfile(path):
            return
        try:
            check_checkpoint_file(path)
        except CorruptCheckpointError as err:
            if not auto_resume:
                raise
            raise CorruptCheckpointError(
                f'{err}. --resume took its name from {latest}: write the '
                'path of the previous checkpoint there, or pass --resume '
                'PATH') from None
