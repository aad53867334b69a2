"""Training and inference speed, parameters and memory of the skeleton models.

Each measurement runs in a fresh subprocess (so the peak RSS is its own) on
random NTU-sized batches: InfoGCN (+ IB head), CrossGLG (JID + guidance
branch + calibration; training) and its exported inference model, and
MMAction2's ST-GCN with InfoGCN's head, all with a real SGD optimizer
wrapper. Prints a Markdown table; `--json` also writes the raw numbers.

    python benchmarks/model_speed.py                                  # paper input
    python benchmarks/model_speed.py --frames 32 64 128               # clip length
    python benchmarks/model_speed.py --layouts coco17 kinect_v1_20 ntu25
    python benchmarks/model_speed.py --device cuda --amp              # on a GPU

``--anchors`` instead times on the CPU, in this one process and
interleaved, the training steps of the official InfoGCN (``--official-repo``,
a checkout of stnoah1/infogcn) and our port under the same loss, and
``train_step`` of InfoGCN and CrossGLG, and prints their medians, ratios and
share of the CPU's measured matmul peak (see ``speed_anchors.py``)::

    python benchmarks/model_speed.py --anchors --official-repo PATH/TO/repo \
        --threads 1 --batch 8 --steps 10 --warmup 1
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

MODELS = ('infogcn', 'crossglg', 'crossglg_inference', 'stgcn')
TEXT_CHANNELS = 1536


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--models', nargs='+', default=list(MODELS),
                        choices=MODELS)
    parser.add_argument('--batch', type=int, default=16)
    parser.add_argument('--frames', type=int, nargs='+', default=[64])
    parser.add_argument('--persons', type=int, default=2)
    parser.add_argument('--layouts', nargs='+', default=['ntu25'])
    parser.add_argument('--classes', type=int, default=100)
    parser.add_argument('--steps', type=int, default=5)
    parser.add_argument('--warmup', type=int, default=2)
    parser.add_argument('--threads', type=int, default=None)
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--amp', action='store_true')
    parser.add_argument('--json', help='write the results here')
    parser.add_argument('--anchors', action='store_true',
                        help='interleaved steps against the anchors')
    parser.add_argument('--official-repo',
                        help='checkout of stnoah1/infogcn (with --anchors)')
    parser.add_argument('--one', help=argparse.SUPPRESS)
    return parser.parse_args()


def model_cfg(name, layout, classes, persons):
    from crossglg_mmaction.skeleton import get_layout
    joints = get_layout(layout).num_joints
    backbone = dict(type='InfoGCN', layout=layout, num_person=persons)
    head = dict(type='InfoGCNHead', num_classes=classes)
    recognizer = 'RecognizerGCN'
    if name.startswith('crossglg'):
        recognizer = 'CrossGLGRecognizer'
        backbone['importance'] = dict(after_block=5)
        head = dict(type='CrossGLGHead', num_classes=classes,
                    guidance=dict(type='CrossModalGuidance',
                                  text_channels=TEXT_CHANNELS))
        if name == 'crossglg_inference':
            head['guidance'] = False
    elif name == 'stgcn':
        graph = get_layout(layout).mmaction_graph_layout()
        backbone = dict(type='STGCN', graph_cfg=dict(layout=graph,
                                                     mode='stgcn_spatial'))
    return dict(type=recognizer, backbone=backbone, cls_head=head), joints


def batch(name, size, frames, persons, joints, classes, device):
    import torch

    from mmaction.structures import ActionDataSample
    inputs = torch.randn(size, 1, persons, frames, joints, 3, device=device)
    samples = []
    for i in range(size):
        sample = ActionDataSample()
        sample.set_gt_label(i % classes)
        if name == 'crossglg':
            sample.set_field(torch.randn(joints, TEXT_CHANNELS), 'text_embedding')
            sample.set_field((torch.rand(joints) > 0.6).float(), 'key_joints')
        samples.append(sample)
    return dict(inputs=list(inputs), data_samples=samples)


def measure(args, name, layout, frames):
    """One model in this process: parameters, samples/s, peak RSS.

    Inference is timed first, in the same fresh process state for every
    model (after ``warmup`` batches), then training steps.
    """
    import torch
    from mmengine.optim import build_optim_wrapper
    from mmengine.registry import init_default_scope

    import crossglg_mmaction  # noqa: F401
    from mmaction.registry import MODELS as REGISTRY
    init_default_scope('mmaction')
    if args.threads:
        torch.set_num_threads(args.threads)
    # A freshly initialised model in eval mode (BN running statistics at
    # their initial values) produces subnormal floats, which x86 CPUs
    # process about 2x slower; flush them so that the timing measures the
    # model's arithmetic rather than its random initialisation.
    torch.set_flush_denormal(True)
    cfg, joints = model_cfg(name, layout, args.classes, args.persons)
    model = REGISTRY.build(cfg).to(args.device)
    params = sum(p.numel() for p in model.parameters())
    data = batch(name, args.batch, frames, args.persons, joints, args.classes,
                 args.device)
    sync = (torch.cuda.synchronize if args.device.startswith('cuda') else
            (lambda: None))
    result = dict(model=name, layout=layout, joints=joints, frames=frames,
                  batch=args.batch, params=params)
    model.eval()
    with torch.no_grad(), torch.autocast(args.device.split(':')[0],
                                         enabled=args.amp):
        for step in range(args.warmup + args.steps):
            if step == args.warmup:
                sync()
                start = time.perf_counter()
            model.test_step(data)
        sync()
    result['infer_samples_s'] = args.batch * args.steps / (
        time.perf_counter() - start)
    if name != 'crossglg_inference':
        wrapper = build_optim_wrapper(model, dict(
            type='AmpOptimWrapper' if args.amp else 'OptimWrapper',
            optimizer=dict(type='SGD', lr=0.01, momentum=0.9, nesterov=True,
                           weight_decay=5e-4)))
        model.train()
        for step in range(args.warmup + args.steps):
            if step == args.warmup:
                sync()
                start = time.perf_counter()
            model.train_step(data, wrapper)
        sync()
        result['train_samples_s'] = args.batch * args.steps / (
            time.perf_counter() - start)
    result['peak_rss_gb'] = resource.getrusage(
        resource.RUSAGE_SELF).ru_maxrss / 1024**2
    if args.device.startswith('cuda'):
        result['peak_gpu_gb'] = torch.cuda.max_memory_allocated() / 1024**3
    return result


def anchors(args):
    """Interleaved CPU training steps in this process: medians, ratios and
    the share of the matmul peak."""
    import torch
    from mmengine.registry import init_default_scope

    import crossglg_mmaction  # noqa: F401
    import speed_anchors
    from mmaction.registry import MODELS as REGISTRY
    init_default_scope('mmaction')
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.set_flush_denormal(True)
    layout, frames = args.layouts[0], args.frames[0]
    steps = {}
    for name in ('infogcn', 'crossglg'):
        cfg, joints = model_cfg(name, layout, args.classes, args.persons)
        data = batch(name, args.batch, frames, args.persons, joints,
                     args.classes, 'cpu')
        steps[f'{name} train_step'] = speed_anchors.recognizer_step(
            REGISTRY.build(cfg), data)
    x = torch.randn(args.batch, args.persons, frames, joints, 3)
    labels = torch.arange(args.batch) % args.classes
    if args.official_repo:
        steps['official InfoGCN, CE'] = speed_anchors.official_step(
            args.official_repo, args.classes, x, labels)
        steps['our InfoGCN, CE'] = speed_anchors.port_step(
            args.classes, x, labels)
    flops = {name: speed_anchors.count_flops(step)
             for name, step in steps.items()}
    steps['matmul'], matmul_flops = speed_anchors.matmul_step()
    medians = speed_anchors.interleaved_medians(steps, args.steps,
                                                args.warmup)
    del steps['matmul']
    peak = matmul_flops / medians.pop('matmul') / 1e9
    print(f'batch {args.batch}, {frames} frames, {args.persons} persons, '
          f'{joints} joints, {torch.get_num_threads()} threads; medians of '
          f'{args.steps} interleaved steps; matmul peak {peak:.1f} GFLOP/s')
    print('\n'.join(speed_anchors.anchor_table(steps, medians, flops, peak,
                                               args.batch)))
    ratios = dict(crossglg_over_infogcn=medians['crossglg train_step'] /
                  medians['infogcn train_step'])
    if args.official_repo:
        ratios['ours_over_official'] = (medians['our InfoGCN, CE'] /
                                        medians['official InfoGCN, CE'])
    for name, ratio in ratios.items():
        print(f'{name}: {ratio:.3f} (step time)')
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(dict(medians=medians, flops=flops, peak_gflops=peak,
                           ratios=ratios), f, indent=2)


def main():
    args = parse_args()
    if args.anchors:
        anchors(args)
        return
    if args.one:
        name, layout, frames = args.one.split(':')
        print(json.dumps(measure(args, name, layout, int(frames))))
        return
    rows = []
    passthrough = [
        '--batch', str(args.batch), '--persons', str(args.persons),
        '--classes', str(args.classes), '--steps', str(args.steps),
        '--warmup', str(args.warmup), '--device', args.device
    ] + (['--threads', str(args.threads)] if args.threads else []) + (
        ['--amp'] if args.amp else [])
    for layout in args.layouts:
        for frames in args.frames:
            for name in args.models:
                out = subprocess.run(
                    [sys.executable, __file__, *passthrough, '--one',
                     f'{name}:{layout}:{frames}'],
                    capture_output=True, text=True, check=True,
                    env=dict(os.environ, PYTHONWARNINGS='ignore'))
                rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    gpu = args.device.startswith('cuda')
    print('| model | layout (V) | frames | params | train samples/s | '
          'inference samples/s | peak RSS (GB) |' +
          (' peak GPU memory (GB) |' if gpu else ''))
    print('| --- | --- | --- | --- | --- | --- | --- |' + (' --- |' * gpu))
    for r in rows:
        train = f'{r["train_samples_s"]:.2f}' if 'train_samples_s' in r \
            else '-'
        print(f'| {r["model"]} | {r["layout"]} ({r["joints"]}) | '
              f'{r["frames"]} | {r["params"]:,} | {train} | '
              f'{r["infer_samples_s"]:.2f} | {r["peak_rss_gb"]:.2f} |' +
              (f' {r["peak_gpu_gb"]:.2f} |' if gpu else ''))
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(rows, f, indent=2)


if __name__ == '__main__':
    main()
