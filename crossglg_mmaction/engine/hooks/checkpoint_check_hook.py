"""Check the checkpoint a run loads or resumes from before MMEngine does."""
import os.path as osp

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner.checkpoint import find_latest_checkpoint

from mmaction.registry import HOOKS
from ...checkpoint import (CorruptCheckpointError, check_checkpoint_file,
                           check_state_fits, checkpoint_weights)

PARTIAL_KEY = 'load_from_partial'


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

    Once loaded, and before any weight is copied into the model, the
    checkpoint's weights must fit the model: the same keys and shapes.
    MMEngine would only warn and train (or test) the rest from scratch;
    here a checkpoint of another model raises ``ValueError`` listing the
    missing, unexpected and reshaped keys. Set ``load_from_partial = True``
    in the config to load the weights that fit on purpose (e.g. a backbone
    from another head).
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

    def after_load_checkpoint(self, runner, checkpoint) -> None:
        """Refuse weights that do not fit the model, unless opted in."""
        state = checkpoint_weights(checkpoint)
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        expected = model.state_dict()
        source = getattr(runner, '_load_from', None) or \
            find_latest_checkpoint(runner.work_dir) or 'the checkpoint'
        config = getattr(runner.cfg, 'filename', None) or 'the config'
        try:
            check_state_fits(state, expected, source, config)
        except ValueError as err:
            if not runner.cfg.get(PARTIAL_KEY, False):
                raise ValueError(
                    f'{err}. Nothing was loaded. To load the weights that fit'
                    f' and keep the others at their initialisation, set '
                    f'{PARTIAL_KEY} = True in the config (--cfg-options '
                    f'{PARTIAL_KEY}=True)') from None
            fits = sum(tuple(getattr(state.get(k), 'shape', ())) ==
                       tuple(v.shape) for k, v in expected.items())
            runner.logger.warning(
                f'{PARTIAL_KEY}=True: {fits} of {len(expected)} model tensors '
                f'come from {source}, the others keep their initialisation')
