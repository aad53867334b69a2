"""Train and evaluate configs one-shot over several seeds (mean ± std).

For every seed and config: `mim train` (seed via `randomness.seed`), then
tools/test_oneshot.py on the last checkpoint (cosine prototypes and
distribution calibration, calibration sampling seeded too). Prints a
Markdown table and writes WORK_ROOT/summary.json.

    python benchmarks/oneshot_seeds.py configs/infogcn_synthetic.py \
        configs/crossglg_synthetic.py --seeds 1 2 3 --work-root work_dirs/seeds

:func:`real_data_main` is the command line of the real-data benchmarks
(nwucla_oneshot.py, utdmhad_oneshot.py): convert, then the same.
"""
import argparse
import json
import os.path as osp
import subprocess
import sys
import time

import numpy as np

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('configs', nargs='+')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument('--work-root', default='work_dirs/oneshot_seeds')
    return parser.parse_args(argv)


def run(args):
    """Run a command from the project root; return its wall time."""
    start = time.time()
    subprocess.run(args, cwd=ROOT, check=True)
    return time.time() - start


def train_and_test(config, seed, work_root):
    """One seed of one config: training and one-shot evaluation."""
    python = sys.executable
    name = osp.splitext(osp.basename(config))[0]
    work_dir = osp.join(work_root, f'{name}_seed{seed}')
    train_seconds = run([
        python, '-m', 'mim', 'train', 'mmaction', config, '--work-dir',
        work_dir, '--cfg-options', f'randomness.seed={seed}'
    ])
    with open(osp.join(ROOT, work_dir, 'last_checkpoint')) as f:
        checkpoint = f.read().strip()
    out_dir = osp.join(work_dir, 'oneshot')
    run([
        python, 'tools/test_oneshot.py', config, checkpoint, '--work-dir',
        work_dir, '--out-dir', out_dir, '--seed', str(seed)
    ])
    with open(osp.join(ROOT, out_dir, 'results.json')) as f:
        result = json.load(f)
    return dict(
        config=config, seed=seed, train_seconds=train_seconds,
        prototype_top1=100 * result['prototype']['top1'],
        calibrated_top1=100 * result['calibrated']['top1'],
        num_queries=result['num_queries'])


def summarize(records, configs):
    lines = ['| config | prototype top-1 (%) | calibrated top-1 (%) | '
             'per seed (prototype / calibrated) | train min/run |',
             '| --- | --- | --- | --- | --- |']
    for config in configs:
        rows = [r for r in records if r['config'] == config]
        proto = np.array([r['prototype_top1'] for r in rows])
        calib = np.array([r['calibrated_top1'] for r in rows])
        seeds = ', '.join(f'{r["seed"]}: {r["prototype_top1"]:.1f} / '
                          f'{r["calibrated_top1"]:.1f}' for r in rows)
        minutes = np.mean([r['train_seconds'] for r in rows]) / 60
        lines.append(f'| {config} | {proto.mean():.1f} ± {proto.std():.1f} '
                     f'| {calib.mean():.1f} ± {calib.std():.1f} | {seeds} | '
                     f'{minutes:.1f} |')
    return '\n'.join(lines)


def main(argv=None):
    args = parse_args(argv)
    records = [train_and_test(config, seed, args.work_root)
               for seed in args.seeds for config in args.configs]
    print(summarize(records, args.configs))
    with open(osp.join(ROOT, args.work_root, 'summary.json'), 'w') as f:
        json.dump(records, f, indent=2)


def real_data_main(doc, converter, ann_file, configs, work_root, argv=None):
    """Convert a data set (when its pickle is missing), then :func:`main`.

    Args:
        doc (str): The benchmark's docstring (first line: its description).
        converter (str): Converter tool (``SRC OUT`` arguments), relative to
            the project root.
        ann_file (str): The pickle the configs read, relative to the root.
        configs (Sequence[str]): Configs to train and evaluate.
        work_root (str): Default ``--work-root``.
        argv (list[str], optional): Arguments. Defaults to sys.argv.
    """
    parser = argparse.ArgumentParser(description=doc.split('\n')[0])
    parser.add_argument('--src', required=True,
                        help=f'input folder of {osp.basename(converter)}')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument('--work-root', default=work_root)
    args = parser.parse_args(argv)
    if not osp.exists(osp.join(ROOT, ann_file)):
        run([sys.executable, converter, osp.abspath(args.src), ann_file])
    main([*configs, '--seeds', *map(str, args.seeds),
          '--work-root', args.work_root])


if __name__ == '__main__':
    main()
