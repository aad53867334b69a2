"""CheckpointCheckHook: a damaged `load_from` or `--resume` checkpoint
stops the run before MMEngine unpickles it, naming the file."""
from types import SimpleNamespace

import pytest
import torch

from crossglg_mmaction.checkpoint import CorruptCheckpointError
from crossglg_mmaction.engine import CheckpointCheckHook


def runner(work_dir, load_from=None, resume=False):
    return SimpleNamespace(work_dir=str(work_dir), _load_from=load_from,
                           _resume=resume)


@pytest.fixture
def work_dir(tmp_path):
    torch.save(dict(meta=dict(epoch=1)), tmp_path / 'epoch_1.pth')
    (tmp_path / 'epoch_2.pth').write_bytes(
        (tmp_path / 'epoch_1.pth').read_bytes()[:100])
    return tmp_path


def test_damaged_load_from(work_dir):
    path = str(work_dir / 'epoch_2.pth')
    for resume in (False, True):  # load_from=..., --resume PATH
        with pytest.raises(CorruptCheckpointError,
                           match=f'checkpoint {path} is truncated') as err:
            CheckpointCheckHook().before_run(runner(work_dir, path, resume))
        assert 'last_checkpoint' not in str(err.value)


def test_damaged_auto_resume_names_last_checkpoint(work_dir):
    (work_dir / 'last_checkpoint').write_text(str(work_dir / 'epoch_2.pth'))
    with pytest.raises(CorruptCheckpointError, match=(
            r'epoch_2\.pth is truncated .*\. --resume took its name from '
            r'.*last_checkpoint: write the path of the previous checkpoint '
            r'there, or pass --resume PATH')):
        CheckpointCheckHook().before_run(runner(work_dir, resume=True))


def test_empty_last_checkpoint(work_dir):
    (work_dir / 'last_checkpoint').write_text('')
    with pytest.raises(CorruptCheckpointError, match=(
            r'last_checkpoint is empty \(a run killed while writing it\): '
            'write the path of the latest intact checkpoint there')):
        CheckpointCheckHook().before_run(runner(work_dir, resume=True))


def test_intact_missing_or_remote_checkpoints_pass(work_dir):
    hook = CheckpointCheckHook()
    hook.before_run(runner(work_dir))
    hook.before_run(runner(work_dir, str(work_dir / 'epoch_1.pth')))
    hook.before_run(runner(work_dir, 'https://example.org/x.pth'))
    hook.before_run(runner(work_dir, resume=True))  # no last_checkpoint
    (work_dir / 'last_checkpoint').write_text(str(work_dir / 'epoch_1.pth'))
    hook.before_run(runner(work_dir, resume=True))
