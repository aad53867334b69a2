"""crossglg_mmaction.checkpoint: damaged checkpoint files are recognised
before torch unpickles them, with a message naming the file and what to
do."""
import os.path as osp
import re

import pytest
import torch

from crossglg_mmaction.checkpoint import (CorruptCheckpointError,
                                          check_checkpoint_file,
                                          load_checkpoint_file)


@pytest.fixture
def checkpoint(tmp_path):
    path = tmp_path / 'epoch_1.pth'
    torch.save(dict(state_dict=dict(w=torch.arange(4000.)),
                    meta=dict(epoch=1)), path)
    return path


def damage(path, kind):
    data = path.read_bytes()
    if kind == 'empty':
        data = b''
    elif kind == 'half':
        data = data[:len(data) // 2]
    elif kind == 'last-bytes-missing':
        data = data[:-10]
    elif kind == 'garbage':
        data = bytes(range(256)) * 8
    elif kind == 'bytes-changed-in-a-tensor':
        # torch loads this without complaint; only the zip CRC tells
        start = data.index(b'\x00\x00\x80?\x00\x00\x00@')  # floats 1., 2.
        data = data[:start] + b'\xff' * 8 + data[start + 8:]
    path.write_bytes(data)


@pytest.mark.parametrize('kind, problem', [
    ('empty', r'is empty \(0 bytes\)'),
    ('half', r'is truncated \(a zip archive without its end: a run killed '
     r'while saving it, or an incomplete copy\)'),
    ('last-bytes-missing', r'is truncated \(.*\)'),
    ('garbage', r"is not a PyTorch checkpoint \(neither a zip archive nor a "
     r"pickle; it starts with b'\\x00\\x01\\x02\\x03'\)"),
    ('bytes-changed-in-a-tensor', r"is corrupt \(member '.*data/0' fails "
     r'its CRC check\)'),
])
def test_damaged_checkpoints_are_named_with_advice(checkpoint, kind,
                                                   problem):
    damage(checkpoint, kind)
    message = (f'checkpoint {re.escape(str(checkpoint))} {problem}: '
               'delete it and use '
               r'another checkpoint \(an earlier epoch_\*\.pth')
    with pytest.raises(CorruptCheckpointError, match=message):
        check_checkpoint_file(str(checkpoint))
    with pytest.raises(ValueError, match=message):
        load_checkpoint_file(str(checkpoint))


def test_intact_and_legacy_checkpoints_load(checkpoint, tmp_path):
    assert load_checkpoint_file(str(checkpoint))['meta'] == dict(epoch=1)
    legacy = tmp_path / 'legacy.pth'
    torch.save(dict(state_dict=dict(w=torch.ones(2))), legacy,
               _use_new_zipfile_serialization=False)
    check_checkpoint_file(str(legacy))
    assert torch.equal(load_checkpoint_file(str(legacy))['state_dict']['w'],
                       torch.ones(2))


def test_missing_checkpoint(tmp_path):
    with pytest.raises(FileNotFoundError, match='checkpoint not found: .*'
                       'nothing.pth'):
        check_checkpoint_file(osp.join(tmp_path, 'nothing.pth'))
