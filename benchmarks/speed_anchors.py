"""Training-step speed against the anchors, interleaved in one process.

Used by ``model_speed.py --anchors``, on the CPU. Every step function is
timed once per round, rounds repeat ``steps`` times (after ``warmup``
rounds), so that a change in the machine's load hits all of them alike; the
table reports medians and their ratios. A step's FLOPs are counted once with
``torch.utils.flop_counter.FlopCounterMode`` (matrix products and
convolutions, forward and backward) and divided by its median time and by
the CPU's matmul peak: a large float32 matmul timed in the same rounds.
"""
import os.path as osp
import statistics
import sys
import time

import torch
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode


def matmul_step(size=2048):
    """A ``size`` x ``size`` float32 matmul and its FLOPs."""
    a, b = torch.randn(size, size), torch.randn(size, size)
    return (lambda: torch.mm(a, b)), 2 * size**3


def count_flops(step):
    """FLOPs of one call of ``step`` (matmuls and convolutions)."""
    with FlopCounterMode(display=False) as counter:
        step()
    return counter.get_total_flops()


def interleaved_medians(steps, rounds, warmup):
    """Median seconds per call of each step, calls interleaved by round.

    Args:
        steps (dict[str, callable]): Step functions by name.
        rounds (int): Timed rounds.
        warmup (int): Untimed rounds first.

    Returns:
        dict[str, float]: Median seconds per name.
    """
    times = {name: [] for name in steps}
    for round_ in range(warmup + rounds):
        for name, step in steps.items():
            start = time.perf_counter()
            step()
            if round_ >= warmup:
                times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def official_step(repo, num_classes, x, labels):
    """A training step of the official InfoGCN (CE on its logits, SGD)."""
    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
    from tools.analysis.infogcn_parity import build_official
    model = build_official(repo, num_classes, k=1).train()
    x = x.permute(0, 4, 2, 3, 1).contiguous()  # (N, C, T, V, M)
    return sgd_step(model, lambda: model(x)[0], labels)


def port_step(num_classes, x, labels):
    """The same step on our InfoGCN + InfoGCNHead (CE on ``decoder(z)``)."""
    from mmaction.registry import MODELS
    model = torch.nn.Sequential(
        MODELS.build(dict(type='InfoGCN')),
        MODELS.build(dict(type='InfoGCNHead', num_classes=num_classes))
    ).train()
    return sgd_step(model, lambda: model(x), labels)


def sgd_step(model, forward, labels):
    """Cross-entropy of ``forward()``'s logits, backward, SGD update."""
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9,
                                nesterov=True, weight_decay=5e-4)

    def step():
        optimizer.zero_grad()
        F.cross_entropy(forward(), labels).backward()
        optimizer.step()

    return step


def recognizer_step(model, data):
    """``model.train_step`` with a real SGD optimizer wrapper."""
    from mmengine.optim import build_optim_wrapper
    wrapper = build_optim_wrapper(model, dict(
        type='OptimWrapper',
        optimizer=dict(type='SGD', lr=0.01, momentum=0.9, nesterov=True,
                       weight_decay=5e-4)))
    model.train()
    return lambda: model.train_step(data, wrapper)


def anchor_table(steps, medians, flops, peak, batch):
    """Markdown rows: samples/s, GFLOP per step, share of the matmul peak."""
    rows = ['| training step | median s | samples/s | GFLOP/step | '
            'GFLOP/s | share of matmul peak |',
            '| --- | ---: | ---: | ---: | ---: | ---: |']
    for name in steps:
        rate = flops[name] / medians[name] / 1e9
        rows.append(f'| {name} | {medians[name]:.3f} | '
                    f'{batch / medians[name]:.2f} | {flops[name] / 1e9:.1f} '
                    f'| {rate:.1f} | {100 * rate / peak:.0f}% |')
    return rows
