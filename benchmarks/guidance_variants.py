"""Choose CrossGLG's variant on development classes, never on novel ones.

Trains InfoGCN and CrossGLG variants (``--cfg-options`` on a development
config, e.g. benchmarks/configs/crossglg_utdmhad_dev_cpu.py, which holds
the dev classes out of training and validates one-shot on them every
epoch) over seeds, and reports per variant: the dev one-shot top-1 at the
last epoch and its best epoch (mean over seeds), JID's agreement with the
dev classes' key joints (``jid/cosine``, against uniform weights), and the
guidance diagnostics of the last logged training iteration
(GuidanceDiagnosticsHook, docs/method.md). Runs whose work dir already
holds a finished log are not repeated; an interrupted run resumes from its
last checkpoint.

    python benchmarks/guidance_variants.py --seeds 0 1 --jobs 2
"""
import argparse
import json
import os.path as osp
import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from oneshot_seeds import ROOT, run, scalar_logs

INFOGCN = 'benchmarks/configs/infogcn_utdmhad_dev_cpu.py'
CROSSGLG = 'benchmarks/configs/crossglg_utdmhad_dev_cpu.py'
GUIDANCE_FIX = ('model.cls_head.guidance.text_residual=False', )
JID_FIX = ('model.backbone.importance.weights=mean_one',
           'model.cls_head.loss_calibrate.criterion=kl')
VARIANTS = {
    'infogcn': (INFOGCN, ()),
    'paper': (CROSSGLG, ()),
    'no_text_residual': (CROSSGLG, GUIDANCE_FIX),
    'jid_kl_mean_one': (CROSSGLG, JID_FIX),
    'both': (CROSSGLG, GUIDANCE_FIX + JID_FIX),
    'both_skeleton_residual': (
        CROSSGLG, GUIDANCE_FIX + JID_FIX +
        ('model.cls_head.guidance.skeleton_residual=True', )),
    'no_calibration': (CROSSGLG, GUIDANCE_FIX + (
        'model.backbone.importance.weights=mean_one',
        'model.cls_head.loss_calibrate=False')),
}
DIAGNOSTICS = ('guidance/skeleton_dependence', 'guidance/text_dependence',
               'guidance/top1', 'guidance/top1_skeleton_permuted',
               'guidance/grad_ratio_c_to_cls', 'jid/effective_joints')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--variants', nargs='+', default=list(VARIANTS),
                        choices=list(VARIANTS))
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1])
    parser.add_argument('--work-root', default='work_dirs/guidance_variants')
    parser.add_argument('--jobs', type=int, default=1)
    return parser.parse_args(argv)


def train(variant, seed, work_root, threads):
    """One development run; returns its per-epoch and final statistics."""
    config, options = VARIANTS[variant]
    work_dir = osp.join(work_root, f'{variant}_seed{seed}')
    logs = scalar_logs(work_dir)
    max_epochs = 15
    if not any(log.get('step') == max_epochs and 'oneshot/top1' in log
               for log in logs):
        run([sys.executable, '-m', 'mim', 'train', 'mmaction', config,
             '--work-dir', work_dir, '--resume', '--cfg-options',
             f'randomness.seed={seed}', *options], threads)
        logs = scalar_logs(work_dir)
    validations = [log for log in logs if 'oneshot/top1' in log]
    training = [log for log in logs if 'loss' in log]
    curve = [100 * log['oneshot/top1'] for log in validations]
    record = dict(variant=variant, seed=seed, dev_top1=curve,
                  jid_cosine=validations[-1].get('jid/cosine'),
                  jid_uniform_cosine=validations[-1].get('jid/uniform_cosine'))
    record.update({name: training[-1].get(name) for name in DIAGNOSTICS})
    return record


def summarize(records, variants):
    names = ['dev top-1 last', 'best epoch', 'dev top-1 best', 'per seed',
             'JID cosine (uniform)'] + [d.split('/')[1] for d in DIAGNOSTICS]
    lines = ['| variant | ' + ' | '.join(names) + ' |',
             '| --- |' + ' --- |' * len(names)]
    for variant in variants:
        rows = [r for r in records if r['variant'] == variant]
        curves = np.array([r['dev_top1'] for r in rows])
        mean_curve = curves.mean(0)
        best = int(mean_curve.argmax())
        cells = [variant, f'{mean_curve[-1]:.1f} ± {curves[:, -1].std():.1f}',
                 str(best + 1), f'{mean_curve[best]:.1f}',
                 ', '.join(f'{r["seed"]}: {r["dev_top1"][-1]:.1f}'
                           for r in rows)]
        cosine = [r['jid_cosine'] for r in rows if r['jid_cosine'] is not None]
        uniform = rows[0]['jid_uniform_cosine']
        cells.append(f'{np.mean(cosine):.3f} ({uniform:.3f})'
                     if cosine else '-')
        for name in DIAGNOSTICS:
            values = [r[name] for r in rows if r.get(name) is not None]
            cells.append(f'{np.mean(values):.3f}' if values else '-')
        lines.append('| ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines)


def main(argv=None):
    args = parse_args(argv)
    threads = 1 if args.jobs > 1 else None
    tasks = [(v, s) for s in args.seeds for v in args.variants]
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        records = list(pool.map(
            lambda task: train(*task, args.work_root, threads), tasks))
    print(summarize(records, args.variants))
    with open(osp.join(ROOT, args.work_root, 'summary.json'), 'w') as f:
        json.dump(records, f, indent=2)


if __name__ == '__main__':
    main()
