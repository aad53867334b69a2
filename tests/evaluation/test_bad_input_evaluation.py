"""Bad input for the one-shot evaluation functions and the metric (the
harness: tests/bad_input.py)."""
import functools

import numpy as np
import pytest
import torch

from bad_input import Cases, check_bad_input
from crossglg_mmaction.evaluation.metrics import OneShotMetric
from crossglg_mmaction.evaluation.oneshot_eval import evaluate_oneshot

case = Cases()


# evaluation: one-shot functions and the metric
def oneshot_features(n=6, dim=4, exemplars=(0, 3)):
    labels = np.repeat([4, 5], n // 2)
    flags = np.zeros(n, bool)
    flags[list(exemplars)] = True
    return dict(embedding=np.abs(np.random.default_rng(0).normal(
        size=(n, dim))), label=labels, is_exemplar=flags)


@case('evaluation', 'nan-features', ValueError,
      r'novel features: 1 rows contain NaN or inf \(rows \[2\]\)')
def _(ws):
    novel = oneshot_features()
    novel['embedding'][2, 1] = np.nan
    return functools.partial(evaluate_oneshot, oneshot_features(), novel,
                             calibration=False)


@case('evaluation', 'nan-base-features', ValueError,
      r'base features: 1 rows contain NaN or inf \(rows \[0\]\)')
def _(ws):
    base = dict(embedding=np.abs(np.random.default_rng(1).normal(
        size=(8, 4))), label=np.repeat([0, 1, 2, 3], 2))
    base['embedding'][0, 0] = np.inf
    return functools.partial(evaluate_oneshot, base, oneshot_features())


@case('evaluation', 'two-exemplars-for-a-class', ValueError,
      r'one-shot evaluation needs exactly one exemplar and at least one '
      r'query per class; exemplars per class: \{4: 2, 5: 0\}')
def _(ws):
    return functools.partial(evaluate_oneshot, {},
                             oneshot_features(exemplars=(0, 1)),
                             calibration=False)


@case('evaluation', 'metric-without-exemplar-flag', KeyError,
      r"data sample has no \['is_exemplar'\]: pack them with "
      r"PackActionInputs\(algorithm_keys=\('is_exemplar',\)\)")
def _(ws):
    sample = dict(embedding=torch.zeros(4), gt_label=torch.tensor([0]))
    return functools.partial(OneShotMetric().process, {}, [sample])


@pytest.mark.parametrize('setup, error, match, may_write', case.params)
def test_bad_input(setup, error, match, may_write, ws):
    check_bad_input(setup, error, match, may_write, ws)
