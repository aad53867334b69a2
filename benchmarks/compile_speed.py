"""Training step with and without ``torch.compile``, as MMEngine compiles it.

MMEngine's ``compile=True`` replaces ``model.train_step`` (data
preprocessor, forward, losses, backward, optimizer step) by
``torch.compile(model.train_step, **compile)``. This times exactly that, on
random NTU-sized batches (see ``model_speed.py``), each model in a fresh
process: the median eager step, the first compiled call (compile time) and
the median compiled step. Prints a Markdown table.

    python benchmarks/compile_speed.py --models infogcn crossglg --batch 8
    python benchmarks/compile_speed.py --backend aot_eager   # no C++ codegen
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

from model_speed import batch, model_cfg


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--models', nargs='+', default=['infogcn', 'crossglg'],
                        choices=['infogcn', 'crossglg'])
    parser.add_argument('--batch', type=int, default=8)
    parser.add_argument('--frames', type=int, default=64)
    parser.add_argument('--classes', type=int, default=100)
    parser.add_argument('--steps', type=int, default=10)
    parser.add_argument('--backend', default='inductor')
    parser.add_argument('--timeout', type=int, default=1800,
                        help='seconds per model before giving up')
    parser.add_argument('--one', help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def median_step(step, data, wrapper, steps):
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        step(data, wrapper)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(args, name):
    """Eager and compiled ``train_step`` of one model in this process."""
    import torch
    from mmengine.optim import build_optim_wrapper
    from mmengine.registry import init_default_scope

    import crossglg_mmaction  # noqa: F401
    from mmaction.registry import MODELS
    init_default_scope('mmaction')
    torch.set_flush_denormal(True)
    torch.manual_seed(0)
    cfg, joints = model_cfg(name, 'ntu25', args.classes, 2)
    model = MODELS.build(cfg).train()
    data = batch(name, args.batch, args.frames, 2, joints, args.classes, 'cpu')
    wrapper = build_optim_wrapper(model, dict(
        optimizer=dict(type='SGD', lr=0.01, momentum=0.9)))
    model.train_step(data, wrapper)  # warm-up
    eager = median_step(model.train_step, data, wrapper, args.steps)
    compiled = torch.compile(model.train_step, backend=args.backend)
    start = time.perf_counter()
    losses = compiled(data, wrapper)
    first = time.perf_counter() - start
    fast = median_step(compiled, data, wrapper, args.steps)
    return dict(model=name, batch=args.batch, backend=args.backend,
                eager_s=eager, compile_s=first, compiled_s=fast,
                speedup=eager / fast,
                finite=bool(torch.isfinite(losses['loss']).all()))


def main(argv=None):
    args = parse_args(argv)
    if args.one:
        print(json.dumps(measure(args, args.one)))
        return
    flags = ['--batch', str(args.batch), '--frames', str(args.frames),
             '--classes', str(args.classes), '--steps', str(args.steps),
             '--backend', args.backend]
    print(f'| model | backend | batch | eager step (s) | first compiled call '
          '(s) | compiled step (s) | speed-up |')
    print('| --- | --- | ---: | ---: | ---: | ---: | ---: |')
    for name in args.models:
        try:
            out = subprocess.run(
                [sys.executable, __file__, *flags, '--one', name],
                capture_output=True, text=True, check=True,
                timeout=args.timeout,
                env=dict(os.environ, PYTHONWARNINGS='ignore'))
        except subprocess.TimeoutExpired:
            print(f'| {name} | {args.backend} | {args.batch} | | not done '
                  f'after {args.timeout} s | | |', flush=True)
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f'| {name} | {r["backend"]} | {r["batch"]} | '
              f'{r["eager_s"]:.2f} | {r["compile_s"]:.0f} | '
              f'{r["compiled_s"]:.2f} | {r["speedup"]:.2f}x |', flush=True)


if __name__ == '__main__':
    main()
