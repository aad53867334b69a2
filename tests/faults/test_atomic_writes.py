"""A writer killed (SIGKILL) in the middle of writing a text bank, a
feature cache or a generated description file leaves the previous good
file, never a truncated one."""
import glob
import os
import os.path as osp
import signal
import subprocess
import sys
import threading

import numpy as np

from crossglg_mmaction.evaluation.feature_cache import (load_features,
                                                        save_features)
from crossglg_mmaction.fileio import file_sha256
from crossglg_mmaction.text.annotations import (load_annotations,
                                                save_annotations)
from crossglg_mmaction.text.bank import (TextBank, load_text_bank,
                                         save_text_bank)

WRITER = osp.join(osp.dirname(osp.abspath(__file__)), 'stalled_writer.py')


def old_versions(tmp_path):
    """The previous good file of each kind, written normally."""
    paths = dict(bank=str(tmp_path / 'bank.npz'),
                 features=str(tmp_path / 'features.npz'),
                 descriptions=str(tmp_path / 'descriptions.json'))
    save_text_bank(
        TextBank(np.arange(3), np.zeros((3, 25, 8), np.float32),
                 np.eye(3, 25, dtype=np.float32),
                 dict(format='crossglg-text-bank', version=1,
                      layout='ntu25')), paths['bank'])
    save_features(paths['features'], dict(embedding=np.zeros((5, 8),
                                                             np.float32)),
                  key='old')
    save_annotations(load_annotations('synthetic'), paths['descriptions'])
    return paths


def test_killed_writers_leave_the_previous_file(tmp_path):
    paths = old_versions(tmp_path)
    before = {kind: file_sha256(path) for kind, path in paths.items()}
    writer = subprocess.Popen(
        [sys.executable, WRITER] +
        [f'{kind}={path}' for kind, path in paths.items()],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    # Read its output until every writer has stalled (end of file if it
    # dies first; a writer that hangs is killed after 120 s).
    guard = threading.Timer(120, writer.kill)
    guard.start()
    stalled, output = set(), []
    try:
        for line in writer.stdout:
            output.append(line)
            if line.startswith('stalled '):
                stalled.add(line[len('stalled '):].strip())
            if stalled == set(paths.values()):
                break
    finally:
        guard.cancel()
        writer.send_signal(signal.SIGKILL)
    writer.communicate()
    assert stalled == set(paths.values()), ''.join(output)[-3000:]

    for kind, path in paths.items():
        assert file_sha256(path) == before[kind], kind
        # The killed writer's partial output is only in its temporary file.
        partial, = glob.glob(osp.join(osp.dirname(path),
                                      f'.{osp.basename(path)}.*.tmp'))
        assert 0 < os.path.getsize(partial), kind
    assert load_text_bank(paths['bank']).dim == 8
    assert load_features(paths['features'], 'old')[1] == 'hit'
    assert load_annotations(paths['descriptions']).dataset == 'synthetic'
