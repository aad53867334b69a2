"""The quick-start demo behind `make demo`, on the embedded synthetic data.

Generates the synthetic data set (if missing), trains the InfoGCN baseline
and CrossGLG on its base classes with `mim train`, evaluates both one-shot on
its novel classes with tools/test_oneshot.py (cosine prototypes and
distribution calibration), draws CrossGLG's joint importance next to the
text's key joints, and prints a summary with the paths of logs, checkpoints
and pictures. Every step is an ordinary command of this project; the script
only runs them in order:

    python tools/run_demo.py [--data-dir data/synthetic] [--work-root work_dirs]
"""
import argparse
import json
import os.path as osp
import subprocess
import sys
import time

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
MODELS = (('InfoGCN (baseline)', 'infogcn_synthetic'),
          ('CrossGLG', 'crossglg_synthetic'))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--data-dir', default='data/synthetic')
    parser.add_argument('--work-root', default='work_dirs')
    return parser.parse_args()


def step(title, args):
    """Run one command from the project root; stop the demo if it fails."""
    print(f'\n==> {title}\n    {" ".join(args)}', flush=True)
    start = time.time()
    if subprocess.run(args, cwd=ROOT).returncode != 0:
        sys.exit(f'demo step failed: {title}')
    return time.time() - start


def last_checkpoint(work_dir):
    with open(osp.join(work_dir, 'last_checkpoint')) as f:
        return f.read().strip()


def main():
    args = parse_args()
    python = sys.executable
    if not osp.exists(osp.join(ROOT, args.data_dir, 'synthetic_3d.pkl')):
        step('generate the synthetic skeleton data set', [
            python, 'tools/data/make_synthetic.py', '--out-dir', args.data_dir
        ])
    rows = []
    for title, name in MODELS:
        config = f'configs/{name}.py'
        work_dir = osp.join(args.work_root, name)
        seconds = step(f'train {title} on the base classes', [
            python, '-m', 'mim', 'train', 'mmaction', config, '--work-dir',
            work_dir
        ])
        checkpoint = last_checkpoint(osp.join(ROOT, work_dir))
        out_dir = osp.join(work_dir, 'oneshot')
        step(f'one-shot evaluation of {title} on the novel classes', [
            python, 'tools/test_oneshot.py', config, checkpoint,
            '--work-dir', work_dir, '--out-dir', out_dir
        ])
        with open(osp.join(ROOT, out_dir, 'results.json')) as f:
            results = json.load(f)
        rows.append((title, results, seconds, work_dir, checkpoint))

    crossglg_dir = osp.join(args.work_root, 'crossglg_synthetic')
    picture_dir = osp.join(crossglg_dir, 'vis')
    step('draw CrossGLG joint importance vs. key joints (paper Fig. 4)', [
        python, 'tools/visualize.py', 'configs/crossglg_synthetic.py',
        rows[-1][4], 'importance', '--subset', 'base', '--out-dir',
        picture_dir
    ])

    print('\n==> one-shot accuracy on the synthetic novel classes '
          f'({rows[0][1]["num_queries"]} queries, '
          f'{len(rows[0][1]["classes"])} classes, 1 exemplar each)')
    print(f'{"model":<20}{"prototype top-1":>17}{"calibrated top-1":>18}'
          f'{"train time":>12}')
    for title, results, seconds, _, _ in rows:
        print(f'{title:<20}{100 * results["prototype"]["top1"]:>16.1f}%'
              f'{100 * results["calibrated"]["top1"]:>17.1f}%'
              f'{seconds / 60:>10.1f} min')
    print('\nlogs and checkpoints:')
    for title, _, _, work_dir, checkpoint in rows:
        print(f'  {title}: {work_dir} (last checkpoint {checkpoint})')
    print(f'pictures: {picture_dir}')


if __name__ == '__main__':
    main()
