"""Child process of test_atomic_writes.py: write a new version of files
through the project's writers, one thread each, every writer stalling
forever after its first write() (then it prints ``stalled PATH``), so the
test can SIGKILL the process while all of them are mid-write.

    python stalled_writer.py {bank,features,descriptions}=PATH ...
"""
import os
import sys
import threading

import numpy as np

from crossglg_mmaction.evaluation.feature_cache import save_features
from crossglg_mmaction.text.annotations import (load_annotations,
                                                save_annotations)
from crossglg_mmaction.text.bank import TextBank, save_text_bank


PRINTING = threading.Lock()


class StallingFile:
    """Delegates to a real file; the first write() is flushed to disk, then
    the thread says so on stdout and waits forever."""

    def __init__(self, file):
        self._file = file

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self._file.__exit__(*exc)

    def __getattr__(self, name):
        return getattr(self._file, name)

    def write(self, data):
        written = self._file.write(data)
        self._file.flush()
        os.fsync(self._file.fileno())
        # Each writer thread is named after the file it writes.
        with PRINTING:
            sys.stdout.write(f'stalled {threading.current_thread().name}\n')
            sys.stdout.flush()
        threading.Event().wait()
        return written


def new_version(kind, path):
    """Write the second version of the file of ``kind`` (see the test)."""
    arrays = dict(embedding=np.ones((4000, 64), np.float32),
                  label=np.arange(4000))
    if kind == 'bank':
        save_text_bank(
            TextBank(np.arange(3), np.ones((3, 25, 64), np.float32),
                     np.ones((3, 25), np.float32),
                     dict(format='crossglg-text-bank', version=1,
                          layout='ntu25')), path)
    elif kind == 'features':
        save_features(path, arrays, key='new')
    else:
        data = load_annotations('synthetic').data
        data['dataset'] = 'new'
        save_annotations(data, path)


if __name__ == '__main__':
    real_fdopen = os.fdopen
    os.fdopen = lambda *a, **k: StallingFile(real_fdopen(*a, **k))
    threads = []
    for job in sys.argv[1:]:
        kind, path = job.split('=', 1)
        threads.append(threading.Thread(target=new_version,
                                        args=(kind, path), name=path))
        threads[-1].start()
    for thread in threads:
        thread.join()
