"""Train and evaluate configs one-shot over several seeds, paired by seed.

For every seed and config: `mim train` (seed via `randomness.seed`), then
tools/test_oneshot.py on the last checkpoint (cosine prototypes and
distribution calibration, calibration sampling seeded too). A run whose
record exists (WORK_DIR/record.json, or RECORDS/CONFIG_seedS.json with
``--records``, a folder that can be committed so that a study goes on in
another checkout) is not repeated and an interrupted training resumes from
its last checkpoint, so a study can be stopped and continued. Prints a Markdown table (mean ± std over
seeds; every config after the first also against the first, paired by
seed: mean difference and its 95% t-interval) and writes
WORK_ROOT/summary.json.

    python benchmarks/oneshot_seeds.py configs/infogcn_synthetic.py \
        configs/crossglg_synthetic.py --seeds 1 2 3 --work-root work_dirs/seeds

``--jobs 2`` trains two runs at a time, one thread each (on 2 cores this
gives more runs per hour than one run on two threads; the per-run training
times then are those of a shared machine).

:func:`real_data_main` is the command line of the real-data benchmarks
(nwucla_oneshot.py, utdmhad_oneshot.py): convert, then the same.
"""
import argparse
import glob
import json
import os
import os.path as osp
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from scipy import stats

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
METRICS = ('prototype_top1', 'calibrated_top1', 'jid_cosine')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('configs', nargs='+')
    add_study_args(parser, 'work_dirs/oneshot_seeds')
    return parser.parse_args(argv)


def add_study_args(parser, work_root, records=None):
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument('--work-root', default=work_root)
    parser.add_argument('--jobs', type=int, default=1,
                        help='runs trained at the same time (one thread '
                        'each when more than one)')
    parser.add_argument('--records', default=records,
                        help='folder of the runs\' records (default: each '
                        'work dir\'s record.json)')
    parser.add_argument('--report', action='store_true',
                        help='only print the table of the runs recorded '
                        'in --records so far; train nothing')


def run(args, threads=None):
    """Run a command from the project root; return its wall time."""
    env = dict(os.environ)
    if threads:
        env.update(OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    start = time.time()
    subprocess.run(args, cwd=ROOT, check=True, env=env)
    return time.time() - start


def scalar_logs(work_dir):
    """All logged scalars of a run (MMEngine's scalars.json), in order."""
    files = sorted(glob.glob(osp.join(ROOT, work_dir, '*', 'vis_data',
                                      'scalars.json')))
    return [json.loads(line) for path in files for line in open(path)]


def last_validation(work_dir):
    """The last validation's scalars of a run."""
    validations = [log for log in scalar_logs(work_dir)
                   if 'oneshot/top1' in log]
    return validations[-1] if validations else {}


def train_and_test(config, seed, work_root, threads=None, records=None):
    """One seed of one config: training and one-shot evaluation."""
    name = osp.splitext(osp.basename(config))[0]
    work_dir = osp.join(work_root, f'{name}_seed{seed}')
    record_file = osp.join(ROOT, records, f'{name}_seed{seed}.json') \
        if records else osp.join(ROOT, work_dir, 'record.json')
    if osp.exists(record_file):
        with open(record_file) as f:
            return json.load(f)
    python = sys.executable
    train_seconds = run([
        python, '-m', 'mim', 'train', 'mmaction', config, '--work-dir',
        work_dir, '--resume', '--cfg-options', f'randomness.seed={seed}'
    ], threads)
    with open(osp.join(ROOT, work_dir, 'last_checkpoint')) as f:
        checkpoint = f.read().strip()
    out_dir = osp.join(work_dir, 'oneshot')
    run([
        python, 'tools/test_oneshot.py', config, checkpoint, '--work-dir',
        work_dir, '--out-dir', out_dir, '--seed', str(seed)
    ], threads)
    with open(osp.join(ROOT, out_dir, 'results.json')) as f:
        result = json.load(f)
    validation = last_validation(work_dir)
    record = dict(
        config=config, seed=seed, train_seconds=train_seconds,
        prototype_top1=100 * result['prototype']['top1'],
        calibrated_top1=100 * result['calibrated']['top1'],
        num_queries=result['num_queries'],
        jid_cosine=validation.get('jid/cosine'),
        jid_uniform_cosine=validation.get('jid/uniform_cosine'),
        jid_effective_joints=validation.get('jid/effective_joints'))
    os.makedirs(osp.dirname(record_file), exist_ok=True)
    with open(record_file + '.tmp', 'w') as f:
        json.dump(record, f, indent=2)
    os.replace(record_file + '.tmp', record_file)
    return record


def paired_difference(values, reference):
    """Mean of ``values - reference`` and its 95% t-interval (n >= 2)."""
    diff = np.asarray(values) - np.asarray(reference)
    mean = float(diff.mean())
    if len(diff) < 2:
        return mean, (float('nan'), float('nan'))
    half = stats.t.ppf(0.975, len(diff) - 1) * diff.std(ddof=1) / np.sqrt(
        len(diff))
    return mean, (mean - half, mean + half)


def summarize(records, configs):
    """Markdown table: mean ± std per config and the paired differences
    with the first config, over the seeds both have."""
    lines = ['| config | prototype top-1 (%) | calibrated top-1 (%) | '
             'JID cosine, novel (uniform) | vs first: prototype diff [95% CI] | '
             'vs first: calibrated diff [95% CI] | per seed (prototype / '
             'calibrated) | train min/run |',
             '| --- | --- | --- | --- | --- | --- | --- | --- |']
    by_config = {c: {r['seed']: r for r in records if r['config'] == c}
                 for c in configs}
    first = by_config[configs[0]]
    for config in configs:
        rows = by_config[config]
        cells = [config]
        for metric in METRICS:
            values = [r[metric] for r in rows.values()
                      if r.get(metric) is not None]
            if not values:
                cells.append('-')
            elif metric == 'jid_cosine':
                uniform = np.mean([r['jid_uniform_cosine']
                                   for r in rows.values()
                                   if r.get(metric) is not None])
                cells.append(f'{np.mean(values):.3f} ({uniform:.3f})')
            else:
                cells.append(f'{np.mean(values):.1f} ± {np.std(values):.1f}')
        for metric in METRICS[:2]:
            seeds = sorted(set(rows) & set(first))
            if config == configs[0] or not seeds:
                cells.append('-')
                continue
            mean, (low, high) = paired_difference(
                [rows[s][metric] for s in seeds],
                [first[s][metric] for s in seeds])
            cells.append(f'{mean:+.1f} [{low:+.1f}, {high:+.1f}]')
        cells.append(', '.join(
            f'{s}: {r["prototype_top1"]:.1f} / {r["calibrated_top1"]:.1f}'
            for s, r in sorted(rows.items())))
        minutes = [r['train_seconds'] / 60 for r in rows.values()]
        cells.append(f'{np.mean(minutes):.1f}' if minutes else '-')
        lines.append('| ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines)


def recorded(configs, seeds, records):
    """The records of the finished runs among ``configs`` x ``seeds``."""
    found = []
    for config in configs:
        name = osp.splitext(osp.basename(config))[0]
        for seed in seeds:
            path = osp.join(ROOT, records, f'{name}_seed{seed}.json')
            if osp.exists(path):
                with open(path) as f:
                    found.append(json.load(f))
    return found


def main(argv=None):
    args = parse_args(argv)
    if args.report:
        print(summarize(recorded(args.configs, args.seeds, args.records),
                        args.configs))
        return
    threads = 1 if args.jobs > 1 else None
    tasks = [(config, seed) for seed in args.seeds for config in args.configs]
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        records = list(pool.map(
            lambda task: train_and_test(*task, args.work_root, threads,
                                        args.records),
            tasks))
    print(summarize(records, args.configs))
    with open(osp.join(ROOT, args.work_root, 'summary.json'), 'w') as f:
        json.dump(records, f, indent=2)


def real_data_main(doc, converter, ann_file, configs, work_root, records,
                   argv=None):
    """Convert a data set (when its pickle is missing), then :func:`main`.

    Args:
        doc (str): The benchmark's docstring (first line: its description).
        converter (str): Converter tool (``SRC OUT`` arguments), relative to
            the project root.
        ann_file (str): The pickle the configs read, relative to the root.
        configs (Sequence[str]): Configs to train and evaluate.
        work_root (str): Default ``--work-root``.
        records (str): Default ``--records`` (committed with the results).
        argv (list[str], optional): Arguments. Defaults to sys.argv.
    """
    parser = argparse.ArgumentParser(description=doc.split('\n')[0])
    parser.add_argument('--src', required=True,
                        help=f'input folder of {osp.basename(converter)}')
    parser.add_argument('--configs', nargs='+', default=list(configs),
                        help='configs to compare; the first is the '
                        'reference of the paired differences')
    add_study_args(parser, work_root, records)
    args = parser.parse_args(argv)
    if not args.report and not osp.exists(osp.join(ROOT, ann_file)):
        run([sys.executable, converter, osp.abspath(args.src), ann_file])
    main([*args.configs, '--seeds', *map(str, args.seeds),
          '--work-root', args.work_root, '--jobs', str(args.jobs),
          '--records', args.records] + (['--report'] if args.report else []))


if __name__ == '__main__':
    main()
