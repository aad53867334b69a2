"""Bad input for tools/data/make_synthetic.py (the harness:
tests/bad_input.py)."""
import functools

import pytest

from bad_input import Cases, ToolFailed, check_bad_input, run_tool

case = Cases()


@case('make-synthetic', 'zero-frames', ToolFailed,
      r'exited with 2.*synthetic data: frames must be \(min, max\) with')
def _(ws):
    return functools.partial(run_tool, 'data.make_synthetic', '--out-dir',
                             ws.path('syn'), '--frames', 0)


@case('make-synthetic', 'novel-not-below-classes', ToolFailed,
      r'exited with 2.*synthetic data: num_novel must be an integer in '
      r'1\.\.num_classes-1 \(3\)')
def _(ws):
    return functools.partial(run_tool, 'data.make_synthetic', '--out-dir',
                             ws.path('syn'), '--num-classes', 4,
                             '--num-novel', 4)


@case('make-synthetic', 'one-sample-per-class', ToolFailed,
      r'exited with 2.*samples_per_class must be at least 2')
def _(ws):
    return functools.partial(run_tool, 'data.make_synthetic', '--out-dir',
                             ws.path('syn'), '--samples-per-class', 1)


@pytest.mark.parametrize('setup, error, match, may_write', case.params)
def test_bad_input(setup, error, match, may_write, ws):
    check_bad_input(setup, error, match, may_write, ws)
