"""Real-data benchmark: one-shot NW-UCLA on the CPU, InfoGCN vs CrossGLG.

Converts the NW-UCLA per-sequence JSON files (if the pickle is missing),
then for every seed trains the InfoGCN baseline and CrossGLG on the 5 base
classes of the development split with `mim train`
(benchmarks/configs/*_nwucla_5base_cpu.py: full InfoGCN width, one person,
32-frame clips, 15 epochs), evaluates the last checkpoint of each with
tools/test_oneshot.py (cosine prototypes and distribution calibration on the
5 novel classes, one exemplar each) and reports mean ± std over the seeds
with the wall times. Results go to WORK_ROOT/summary.json and a Markdown
table on stdout.

    python benchmarks/nwucla_oneshot.py --src ../shared/data/nwucla/all_sqe \
        --seeds 0 1 2
"""
import argparse
import json
import os.path as osp
import subprocess
import sys
import time

import numpy as np

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
MODELS = (('InfoGCN', 'benchmarks/configs/infogcn_nwucla_5base_cpu.py'),
          ('CrossGLG', 'benchmarks/configs/crossglg_nwucla_5base_cpu.py'))
PICKLE = 'data/nwucla/nwucla_3d.pkl'


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--src', required=True,
                        help='NW-UCLA all_sqe folder (per-sequence JSON)')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument('--work-root', default='work_dirs/bench_nwucla')
    return parser.parse_args()


def run(args):
    """Run a command from the project root; return its wall time."""
    start = time.time()
    subprocess.run(args, cwd=ROOT, check=True)
    return time.time() - start


def main():
    args = parse_args()
    python = sys.executable
    if not osp.exists(osp.join(ROOT, PICKLE)):
        run([python, 'tools/data/nwucla_to_pickle.py', args.src, PICKLE])
    records = []
    for seed in args.seeds:
        for name, config in MODELS:
            work_dir = osp.join(args.work_root, f'{name.lower()}_seed{seed}')
            train_seconds = run([
                python, '-m', 'mim', 'train', 'mmaction', config,
                '--work-dir', work_dir, '--cfg-options',
                f'randomness.seed={seed}'
            ])
            with open(osp.join(ROOT, work_dir, 'last_checkpoint')) as f:
                checkpoint = f.read().strip()
            out_dir = osp.join(work_dir, 'oneshot')
            test_seconds = run([
                python, 'tools/test_oneshot.py', config, checkpoint,
                '--work-dir', work_dir, '--out-dir', out_dir, '--seed',
                str(seed)
            ])
            with open(osp.join(ROOT, out_dir, 'results.json')) as f:
                result = json.load(f)
            records.append(dict(
                model=name, seed=seed, train_seconds=train_seconds,
                test_seconds=test_seconds,
                prototype_top1=100 * result['prototype']['top1'],
                calibrated_top1=100 * result['calibrated']['top1'],
                num_queries=result['num_queries']))
    print('| model | prototype top-1 (%) | calibrated top-1 (%) | '
          'train min/run | seeds |')
    print('| --- | --- | --- | --- | --- |')
    for name, _ in MODELS:
        rows = [r for r in records if r['model'] == name]
        proto = np.array([r['prototype_top1'] for r in rows])
        calib = np.array([r['calibrated_top1'] for r in rows])
        minutes = np.mean([r['train_seconds'] for r in rows]) / 60
        print(f'| {name} | {proto.mean():.1f} ± {proto.std():.1f} | '
              f'{calib.mean():.1f} ± {calib.std():.1f} | {minutes:.1f} | '
              f'{", ".join(str(r["seed"]) for r in rows)} |')
    with open(osp.join(ROOT, args.work_root, 'summary.json'), 'w') as f:
        json.dump(records, f, indent=2)


if __name__ == '__main__':
    main()
