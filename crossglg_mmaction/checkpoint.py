"""Integrity checks for checkpoint files before torch unpickles them.

torch reports a damaged checkpoint in ways that are easy to misread: an
empty file gives a bare ``EOFError``, garbage bytes a weights-only
``UnpicklingError`` that suggests ``weights_only=False``, and bytes
changed inside a tensor are not noticed at all. MMEngine 0.10.7 writes
checkpoints in place (not atomically), so a run killed while saving leaves
a truncated ``epoch_N.pth``. :func:`check_checkpoint_file` recognises
these cases from the zip structure and CRCs of torch's file format and
names the file and what to do.
"""
import os.path as osp
import zipfile

ZIP_MAGIC = b'PK\x03\x04'
PICKLE_PROTO = b'\x80'  # torch's legacy (pre-1.6) format is a pickle stream
ADVICE = ('delete it and use another checkpoint (an earlier epoch_*.pth of '
          'the run, or a fresh copy of a downloaded one)')


class CorruptCheckpointError(ValueError):
    """A checkpoint file that is empty, truncated or not a checkpoint."""


def check_checkpoint_file(path: str) -> None:
    """Raise :class:`CorruptCheckpointError` unless ``path`` looks intact.

    torch's zip format is checked fully (structure and every member's
    CRC); a legacy pickle-format file is accepted as is.

    Args:
        path (str): Local checkpoint file.

    Raises:
        FileNotFoundError: If ``path`` does not exist.
        CorruptCheckpointError: Naming the file, what is wrong and what to
            do.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'checkpoint not found: {path}')
    with open(path, 'rb') as f:
        head = f.read(len(ZIP_MAGIC))
    problem = None
    if not head:
        problem = 'is empty (0 bytes)'
    elif zipfile.is_zipfile(path):
        problem = _zip_problem(path)
    elif head == ZIP_MAGIC:
        problem = ('is truncated (a zip archive without its end: a run '
                   'killed while saving it, or an incomplete copy)')
    elif not head.startswith(PICKLE_PROTO):
        problem = (f'is not a PyTorch checkpoint (neither a zip archive nor '
                   f'a pickle; it starts with {head!r})')
    if problem:
        raise CorruptCheckpointError(f'checkpoint {path} {problem}: {ADVICE}')


def _zip_problem(path: str):
    try:
        with zipfile.ZipFile(path) as archive:
            bad = archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as err:
        return f'is corrupt ({type(err).__name__}: {err})'
    if bad is not None:
        return f'is corrupt (member {bad!r} fails its CRC check)'
    return None


def load_checkpoint_file(path: str, map_location: str = 'cpu') -> dict:
    """Check ``path`` and load it with ``torch.load(weights_only=True)``.

    ``weights_only=True`` is passed explicitly, so the allow-list of
    :mod:`crossglg_mmaction.compat` applies even where the environment sets
    ``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD`` (docs/security.md).

    Args:
        path (str): Local checkpoint file.
        map_location (str): Where tensors go. Defaults to 'cpu'.

    Returns:
        dict: The loaded checkpoint.

    Raises:
        FileNotFoundError: If ``path`` does not exist.
        ValueError: Naming the file when it is damaged or cannot be read
            (:class:`CorruptCheckpointError` for damaged files), or holds
            objects outside the weights-only allow-list.
    """
    import pickle

    import torch

    check_checkpoint_file(path)
    try:
        return torch.load(path, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as err:
        detail = [line for line in str(err).splitlines()
                  if 'GLOBAL' in line or 'unsupported' in line.lower()]
        raise ValueError(
            f'checkpoint {path} holds objects that a weights-only load '
            f'refuses ({" ".join(detail[:1]) or err}); it was not loaded, '
            'since unpickling them could run code (docs/security.md)') \
            from None
    except Exception as err:
        raise ValueError(f'cannot read checkpoint {path}: '
                         f'{type(err).__name__}: {err}') from None


def checkpoint_weights(checkpoint) -> dict:
    """The model weights of a loaded checkpoint, without DDP's ``module.``
    prefix."""
    state = checkpoint
    if isinstance(state, dict):
        state = state.get('state_dict', state)
    return {k[len('module.'):] if k.startswith('module.') else k: v
            for k, v in dict(state).items()}


def model_state(path: str) -> dict:
    """The model weights of a checkpoint file (see
    :func:`checkpoint_weights`)."""
    return checkpoint_weights(load_checkpoint_file(path))


def check_state_fits(state: dict, expected: dict, checkpoint: str,
                     config: str) -> None:
    """Raise ``ValueError`` unless ``state`` has exactly ``expected``'s keys
    and shapes (a checkpoint of another config is named as such).

    Args:
        state (dict): Weights from the checkpoint.
        expected (dict): ``model.state_dict()`` of the config's model.
        checkpoint (str): Checkpoint path, for the message.
        config (str): Config path, for the message.
    """
    missing = sorted(set(expected) - set(state))
    unexpected = sorted(set(state) - set(expected))
    shapes = [
        f'{k}: checkpoint {tuple(state[k].shape)} vs model '
        f'{tuple(expected[k].shape)}' for k in sorted(set(state)
                                                       & set(expected))
        if tuple(getattr(state[k], 'shape', ())) != tuple(expected[k].shape)
    ]
    if missing or unexpected or shapes:
        raise ValueError(
            f'checkpoint {checkpoint} does not fit the model of {config} '
            f'(trained with another config?): {len(missing)} missing keys '
            f'{missing[:5]}, {len(unexpected)} unexpected keys '
            f'{unexpected[:5]}, {len(shapes)} shape mismatches {shapes[:5]}')
