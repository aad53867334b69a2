"""Collect the results of benchmarks/gpu_check.sh into summary.json/.md.

Reads, from the check's output folder: ``steps.json`` (model_speed.py),
the training's ``*/vis_data/scalars.json``, ``oneshot/results.json``
(tools/test_oneshot.py) and ``times.tsv`` (seconds per stage)::

    python benchmarks/gpu_check_summary.py OUT --device cuda
"""
import argparse
import glob
import json
import os.path as osp


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('out', help='the folder gpu_check.sh wrote')
    parser.add_argument('--device', default='cuda')
    return parser.parse_args(argv)


def training_log(out):
    """Iterations run, the last training losses and the validation."""
    found = sorted(glob.glob(osp.join(out, 'train', '*', 'vis_data',
                                      'scalars.json')))
    if not found:
        raise FileNotFoundError(f'no training scalars under {out}/train')
    with open(found[-1]) as f:
        records = [json.loads(line) for line in f if line.strip()]
    train = [r for r in records if 'loss' in r]
    val = [r for r in records if 'oneshot/top1' in r]
    last = train[-1] if train else {}
    return dict(
        iterations=last.get('iter'),
        last_losses={k: v for k, v in last.items() if k.startswith('loss')},
        val_oneshot_top1=val[-1]['oneshot/top1'] if val else None)


def summarise(out, device):
    with open(osp.join(out, 'steps.json')) as f:
        steps = json.load(f)
    with open(osp.join(out, 'oneshot', 'results.json')) as f:
        oneshot = json.load(f)
    with open(osp.join(out, 'times.tsv')) as f:
        seconds = {name: int(s) for name, s in
                   (line.split('\t') for line in f if line.strip())}
    return dict(
        device=device,
        training_steps=[{k: r.get(k) for k in (
            'model', 'batch', 'frames', 'train_samples_s',
            'infer_samples_s', 'peak_gpu_gb', 'peak_rss_gb')}
                        for r in steps],
        mim_train=training_log(out),
        oneshot=dict(num_queries=oneshot['num_queries'],
                     prototype_top1=oneshot['prototype']['top1'],
                     calibrated_top1=oneshot['calibrated']['top1']),
        stage_seconds=seconds)


def markdown(summary):
    def number(value, fmt='.2f'):
        return '-' if value is None else format(value, fmt)

    lines = [f'# gpu_check on {summary["device"]}', '',
             '| model | batch | frames | train samples/s | '
             'inference samples/s | peak GPU memory (GB) |',
             '| --- | ---: | ---: | ---: | ---: | ---: |']
    for r in summary['training_steps']:
        lines.append(f'| {r["model"]} | {r["batch"]} | {r["frames"]} | '
                     f'{number(r["train_samples_s"])} | '
                     f'{number(r["infer_samples_s"])} | '
                     f'{number(r["peak_gpu_gb"])} |')
    train, oneshot = summary['mim_train'], summary['oneshot']
    lines += ['', f'mim train: {train["iterations"]} iterations, last '
              f'losses {train["last_losses"]}, validation one-shot top-1 '
              f'{number(train["val_oneshot_top1"], ".3f")}',
              f'one-shot ({oneshot["num_queries"]} queries): prototype '
              f'top-1 {oneshot["prototype_top1"]:.3f}, calibrated '
              f'{oneshot["calibrated_top1"]:.3f}',
              f'seconds per stage: {summary["stage_seconds"]}']
    return '\n'.join(lines) + '\n'


def main(argv=None):
    args = parse_args(argv)
    summary = summarise(args.out, args.device)
    with open(osp.join(args.out, 'summary.json'), 'w') as f:
        json.dump(summary, f, indent=2)
    text = markdown(summary)
    with open(osp.join(args.out, 'summary.md'), 'w') as f:
        f.write(text)
    print(text, end='')


if __name__ == '__main__':
    main()
