"""tools/run_demo.py runs its trainings side by side, one thread each."""
import sys

import pytest

from tools import run_demo


def test_parallel_steps_run_at_once_with_one_thread(tmp_path):
    # each job waits for the other's file: they only finish when concurrent
    wait_for = ('import os, sys, time; open(sys.argv[1], "w").close(); '
                'end = time.time() + 60\n'
                'while not os.path.exists(sys.argv[2]) and time.time() < end:'
                ' time.sleep(0.01)\n'
                'assert os.path.exists(sys.argv[2])\n'
                'print(os.environ["OMP_NUM_THREADS"])')
    a, b = str(tmp_path / 'a'), str(tmp_path / 'b')
    seconds = run_demo.parallel_steps('both', [
        ('a', [sys.executable, '-c', wait_for, a, b], str(tmp_path / 'a.log')),
        ('b', [sys.executable, '-c', wait_for, b, a], str(tmp_path / 'b.log')),
    ])
    assert set(seconds) == {'a', 'b'}
    assert (tmp_path / 'a.log').read_text().strip() == '1'


def test_a_failing_job_names_its_log(tmp_path, capsys):
    log = str(tmp_path / 'bad.log')
    with pytest.raises(SystemExit, match='bad.log'):
        run_demo.parallel_steps('fails', [
            ('bad', [sys.executable, '-c', 'raise SystemExit("broken")'],
             log)])
    assert 'broken' in capsys.readouterr().err
