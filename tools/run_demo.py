"""The quick-start demo behind `make demo`, on the embedded synthetic data.

Generates the synthetic data set (if missing), trains the InfoGCN baseline
and CrossGLG on its base classes with `mim train` (the two trainings run at
the same time, one CPU thread each), evaluates both one-shot on its novel
classes with tools/test_oneshot.py (cosine prototypes and distribution
calibration), draws CrossGLG's joint importance next to the text's key
joints on the novel classes (never trained on), and prints a summary with
the paths of logs, checkpoints and pictures. Every step is an ordinary
command of this project; the script only runs them:

    python tools/run_demo.py [--data-dir data/synthetic] [--work-root work_dirs]
"""
import argparse
import json
import os
import os.path as osp
import subprocess
import sys
import time

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
MODELS = (('InfoGCN (baseline)', 'infogcn_synthetic'),
          ('CrossGLG', 'crossglg_synthetic'))
ONE_THREAD = dict(OMP_NUM_THREADS='1', MKL_NUM_THREADS='1')


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


def parallel_steps(title, jobs):
    """Run ``(name, args, log_file)`` jobs at once, one thread each.

    Their output goes to the log files; returns each job's wall time.
    """
    print(f'\n==> {title}', flush=True)
    env = dict(os.environ, **ONE_THREAD)
    start, running = time.time(), []
    for name, args, log_file in jobs:
        print(f'    {" ".join(args)}\n      (output: {log_file})', flush=True)
        os.makedirs(osp.dirname(osp.join(ROOT, log_file)), exist_ok=True)
        with open(osp.join(ROOT, log_file), 'w') as log:
            running.append((name, log_file, subprocess.Popen(
                args, cwd=ROOT, env=env, stdout=log,
                stderr=subprocess.STDOUT)))
    seconds = {}
    for name, log_file, process in running:
        if process.wait() != 0:
            with open(osp.join(ROOT, log_file)) as log:
                print(''.join(log.readlines()[-20:]), file=sys.stderr)
            sys.exit(f'demo step failed: {title} ({name}); see {log_file}')
        seconds[name] = time.time() - start
    return seconds


def last_checkpoint(work_dir):
    with open(osp.join(ROOT, work_dir, 'last_checkpoint')) as f:
        return f.read().strip()


def main():
    args = parse_args()
    python = sys.executable
    if not osp.exists(osp.join(ROOT, args.data_dir, 'synthetic_3d.pkl')):
        step('generate the synthetic skeleton data set', [
            python, 'tools/data/make_synthetic.py', '--out-dir', args.data_dir
        ])
    work_dirs = {name: osp.join(args.work_root, name) for _, name in MODELS}
    train_seconds = parallel_steps(
        'train InfoGCN and CrossGLG on the base classes (at the same time)',
        [(name, [python, '-m', 'mim', 'train', 'mmaction',
                 f'configs/{name}.py', '--work-dir', work_dirs[name]],
          osp.join(work_dirs[name], 'train_output.log'))
         for _, name in MODELS])
    checkpoints = {name: last_checkpoint(work_dirs[name])
                   for _, name in MODELS}
    parallel_steps(
        'one-shot evaluation of both models on the novel classes',
        [(name, [python, 'tools/test_oneshot.py', f'configs/{name}.py',
                 checkpoints[name], '--work-dir', work_dirs[name],
                 '--out-dir', osp.join(work_dirs[name], 'oneshot')],
          osp.join(work_dirs[name], 'oneshot_output.log'))
         for _, name in MODELS])
    picture_dir = osp.join(work_dirs['crossglg_synthetic'], 'vis')
    step('draw CrossGLG joint importance vs. key joints on the novel '
         'classes (paper Fig. 4)', [
             python, 'tools/visualize.py', 'configs/crossglg_synthetic.py',
             checkpoints['crossglg_synthetic'], 'importance', '--subset',
             'novel', '--out-dir', picture_dir
         ])
    print_summary(work_dirs, checkpoints, train_seconds, picture_dir)


def print_summary(work_dirs, checkpoints, train_seconds, picture_dir):
    """The one-shot table, then where logs, checkpoints and pictures are."""
    results = {}
    for _, name in MODELS:
        path = osp.join(ROOT, work_dirs[name], 'oneshot', 'results.json')
        with open(path) as f:
            results[name] = json.load(f)
    first = results[MODELS[0][1]]
    print('\n==> one-shot accuracy on the synthetic novel classes '
          f'({first["num_queries"]} queries, {len(first["classes"])} '
          'classes, 1 exemplar each; one training seed, see README for '
          'the spread over seeds)')
    print(f'{"model":<20}{"prototype top-1":>17}{"calibrated top-1":>18}'
          f'{"train time":>12}')
    for title, name in MODELS:
        print(f'{title:<20}{100 * results[name]["prototype"]["top1"]:>16.1f}%'
              f'{100 * results[name]["calibrated"]["top1"]:>17.1f}%'
              f'{train_seconds[name] / 60:>10.1f} min')
    print('\nlogs and checkpoints:')
    for title, name in MODELS:
        print(f'  {title}: {work_dirs[name]} (last checkpoint '
              f'{checkpoints[name]})')
    print(f'pictures: {picture_dir}')


if __name__ == '__main__':
    main()
