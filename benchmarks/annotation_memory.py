"""Annotation memory at NTU-120 scale: a skeleton pickle against a ``.store``.

    # an NTU-120-sized file (114,480 samples) as pickle and as store, in /tmp
    python benchmarks/annotation_memory.py generate --out /tmp/ntu120_like
    # peak memory of (a) one process building the training set,
    # (b) 8 dataloader workers over its epoch, (c) 2 and 4 gloo ranks
    python benchmarks/annotation_memory.py measure /tmp/ntu120_like.pkl \
        /tmp/ntu120_like.store --cases build workers ranks2 ranks4

The generated samples follow NTU RGB+D 120's shape: 120 classes of 954
samples, NTU-style names (the protocol's exemplars included), frame counts
log-normal around 70 (clipped to 30..300, mean about 74), two persons in the
26 mutual classes and in 5% of the others, 25 joints, float16 keypoints as
MMAction2's converter writes. ``--fraction`` keeps that share of the samples
(every class) for cheaper runs.

Every case runs in a fresh process (ranks under ``torch.distributed.run``
with gloo) that builds ``OneShotPoseDataset(protocol='ntu120',
subset='base')``, the NTU-120 training set. Reported per process: the
growth of peak RSS over the RSS after imports (``VmHWM - VmRSS``), and
anonymous RSS after building; for workers, the peak over the epoch of the
proportional set size (PSS) of the main process and its workers, anonymous
and file-backed (page cache the store maps, shared and counted once), read
from ``/proc/<pid>/smaps_rollup``. Linux only.
"""
import argparse
import json
import os
import os.path as osp
import pickle
import subprocess
import sys
import threading
import time

import numpy as np

MUTUAL = set(range(49, 60)) | set(range(105, 120))  # A050-A060, A106-A120
PER_CLASS = 954
MB = 1 << 20


def sample_names(action: int, count: int):
    """``count`` NTU-style names of ``action`` (0-based), the protocol's
    exemplar ``S001C003P008R001`` / ``S018C003P008R001`` among them."""
    first = 1 if action < 60 else 18
    names = []
    for setup in range(first, 33):
        for camera in range(1, 4):
            for performer in range(1, 107):
                for rep in (1, 2):
                    names.append(f'S{setup:03d}C{camera:03d}P{performer:03d}'
                                 f'R{rep:03d}A{action + 1:03d}')
                    if len(names) == count:
                        return names
    return names


def generate(out: str, fraction: float, seed: int) -> None:
    """Write ``out.pkl`` and ``out.store`` (see the module docstring)."""
    from crossglg_mmaction.datasets.skeleton_store import save_skeleton_store
    rng = np.random.default_rng(seed)
    per_class = max(1, round(PER_CLASS * fraction))
    annotations = []
    for action in range(120):
        for name in sample_names(action, per_class):
            frames = int(np.clip(rng.lognormal(np.log(70), 0.35), 30, 300))
            persons = 2 if action in MUTUAL or rng.random() < 0.05 else 1
            keypoint = rng.standard_normal(
                (persons, frames, 25, 3), dtype=np.float32).astype(np.float16)
            annotations.append(dict(frame_dir=name, label=action,
                                    keypoint=keypoint, total_frames=frames))
    data = dict(split={}, annotations=annotations)
    with open(f'{out}.pkl', 'wb') as f:
        pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
    save_skeleton_store(data, f'{out}.store')
    frames = [a['total_frames'] for a in annotations]
    print(json.dumps(dict(samples=len(annotations),
                          frames_mean=round(float(np.mean(frames)), 1),
                          frames_range=[min(frames), max(frames)],
                          pickle_mb=round(osp.getsize(f'{out}.pkl') / MB),
                          store_mb=round(folder_size(f'{out}.store') / MB))))


def folder_size(path: str) -> int:
    return sum(osp.getsize(osp.join(path, f)) for f in os.listdir(path))


def status_kb(pid='self'):
    """VmRSS, VmHWM, RssAnon, RssFile of a process in kB."""
    out = {}
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            key, _, value = line.partition(':')
            if key in ('VmRSS', 'VmHWM', 'RssAnon', 'RssFile'):
                out[key] = int(value.split()[0])
    return out


def pss_kb(pid):
    """Pss_Anon and Pss_File of a process in kB (0 when it is gone)."""
    out = dict(Pss_Anon=0, Pss_File=0)
    try:
        with open(f'/proc/{pid}/smaps_rollup') as f:
            for line in f:
                key, _, value = line.partition(':')
                if key in out:
                    out[key] = int(value.split()[0])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return out


def children(pid):
    with open(f'/proc/{pid}/task/{pid}/children') as f:
        return [int(p) for p in f.read().split()]


class PssMonitor(threading.Thread):
    """Peak PSS of this process and of its children, sampled."""

    def __init__(self, interval=0.5):
        super().__init__(daemon=True)
        self.interval, self.peak, self.done = interval, {}, False

    def run(self):
        me = os.getpid()
        while not self.done:
            kids = [pss_kb(p) for p in children(me)]
            main = pss_kb(me)
            sample = dict(
                workers_anon=sum(k['Pss_Anon'] for k in kids),
                workers_file=sum(k['Pss_File'] for k in kids),
                total_anon=main['Pss_Anon'] + sum(k['Pss_Anon'] for k in kids),
                total_file=main['Pss_File'] + sum(k['Pss_File'] for k in kids))
            for key, value in sample.items():
                self.peak[key] = max(self.peak.get(key, 0), value)
            time.sleep(self.interval)


def touch(info):
    """The pipeline: read every keypoint, keep a number."""
    return dict(total=float(np.asarray(info['keypoint'], np.float32).sum()))


def collate(batch):
    return len(batch)


def child(args):
    """One measured process: build the dataset (and iterate it)."""
    import crossglg_mmaction  # noqa: F401 (compat fixes, registries)
    from crossglg_mmaction.datasets import OneShotPoseDataset
    rank = int(os.environ.get('RANK', 0))
    if 'RANK' in os.environ:
        import torch.distributed as dist
        dist.init_process_group('gloo')
        dist.barrier()
    before = status_kb()
    start = time.perf_counter()
    dataset = OneShotPoseDataset(ann_file=args.ann_file, pipeline=[touch],
                                 protocol='ntu120', subset='base')
    built = time.perf_counter() - start
    after = status_kb()
    result = dict(rank=rank, samples=len(dataset), build_s=round(built, 1),
                  peak_growth_mb=round((after['VmHWM'] - before['VmRSS']) /
                                       1024),
                  anon_after_mb=round((after['RssAnon'] -
                                       before['RssAnon']) / 1024))
    if args.workers:
        import torch
        monitor = PssMonitor()
        pss_before = pss_kb(os.getpid())
        monitor.start()
        start = time.perf_counter()
        loader = torch.utils.data.DataLoader(
            dataset, batch_size=64, num_workers=args.workers,
            collate_fn=collate, sampler=range(0, len(dataset), args.stride))
        seen = sum(loader)
        monitor.done = True
        monitor.join()
        result.update(
            epoch_samples=seen, epoch_s=round(time.perf_counter() - start),
            main_anon_before_mb=round(pss_before['Pss_Anon'] / 1024),
            **{f'peak_pss_{k}_mb': round(v / 1024)
               for k, v in monitor.peak.items()})
    if 'RANK' in os.environ:
        dist.barrier()
    print('RESULT ' + json.dumps(result), flush=True)


def run_case(ann_file, case, stride):
    me = [sys.executable, osp.abspath(__file__), 'child', ann_file]
    if case == 'workers':
        me += ['--workers', '8', '--stride', str(stride)]
    if case.startswith('ranks'):
        me = [sys.executable, '-m', 'torch.distributed.run', '--standalone',
              '--nproc_per_node', case[len('ranks'):]] + me[1:]
    proc = subprocess.run(me, capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(f'{case} on {ann_file} failed:\n'
                           f'{proc.stderr[-3000:]}')
    return [json.loads(line[len('RESULT '):])
            for line in proc.stdout.splitlines() if line.startswith('RESULT ')]


def measure(args):
    for ann_file in args.ann_files:
        size = folder_size(ann_file) if osp.isdir(ann_file) else \
            osp.getsize(ann_file)
        for case in args.cases:
            for result in run_case(ann_file, case, args.stride):
                print(json.dumps(dict(file=osp.basename(ann_file),
                                      file_mb=round(size / MB), case=case,
                                      **result)), flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    sub = parser.add_subparsers(dest='command', required=True)
    gen = sub.add_parser('generate', help='write OUT.pkl and OUT.store')
    gen.add_argument('--out', default='/tmp/ntu120_like')
    gen.add_argument('--fraction', type=float, default=1.0)
    gen.add_argument('--seed', type=int, default=0)
    mea = sub.add_parser('measure', help='measure each file in each case')
    mea.add_argument('ann_files', nargs='+')
    mea.add_argument('--cases', nargs='+', default=['build'],
                     choices=['build', 'workers', 'ranks2', 'ranks4'])
    mea.add_argument('--stride', type=int, default=1,
                     help='workers iterate every N-th sample')
    one = sub.add_parser('child')
    one.add_argument('ann_file')
    one.add_argument('--workers', type=int, default=0)
    one.add_argument('--stride', type=int, default=1)
    args = parser.parse_args(argv)
    if args.command == 'generate':
        generate(args.out, args.fraction, args.seed)
    elif args.command == 'measure':
        measure(args)
    else:
        child(args)


if __name__ == '__main__':
    main()
