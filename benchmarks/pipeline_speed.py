"""Data-pipeline throughput of the NTU training pipeline (samples/s).

Builds the training dataset of configs/crossglg_ntu120_20base.py (InfoGCN's
pipeline: PreNormalize3D, 64-frame crop-resize, random rotation, 2 persons,
text fields from the text bank) on a generated NTU-like pickle (2 persons,
100-frame sequences, 25 joints) and times an MMEngine dataloader over it with
0 and 2 workers. The text bank uses the offline encoder (256-d, no
download).

    python benchmarks/pipeline_speed.py --samples 960 --workers 0 2
"""
import argparse
import tempfile
import time

import numpy as np


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--samples', type=int, default=960)
    parser.add_argument('--frames', type=int, default=100)
    parser.add_argument('--batch', type=int, default=64)
    parser.add_argument('--workers', type=int, nargs='+', default=[0, 2])
    return parser.parse_args()


def write_pickle(path, samples, frames):
    """NTU-like annotations: labels cycle over the 20 first base classes."""
    import mmengine

    from crossglg_mmaction.datasets import get_protocol
    base = get_protocol('ntu120').base_classes(20)
    rng = np.random.default_rng(0)
    annotations = [
        dict(frame_dir=f'S001C001P{i:03d}R001A{base[i % 20] + 1:03d}',
             label=base[i % 20], total_frames=frames,
             keypoint=rng.normal(size=(2, frames, 25, 3)).astype(np.float32))
        for i in range(samples)
    ]
    mmengine.dump(dict(split={}, annotations=annotations), path)


def main():
    args = parse_args()
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmengine.runner import Runner

    import crossglg_mmaction  # noqa: F401
    init_default_scope('mmaction')
    with tempfile.TemporaryDirectory() as tmp:
        write_pickle(f'{tmp}/ntu.pkl', args.samples, args.frames)
        cfg = Config.fromfile('configs/crossglg_ntu120_20base.py')
        dataset = cfg.train_dataloader.dataset
        dataset.ann_file = f'{tmp}/ntu.pkl'
        dataset.text_bank = dict(
            annotations='ntu120', encoder=dict(type='tfidf_svd', dim=256),
            cache_dir=tmp, text_channels=256)
        print('| workers | batch | samples/s |\n| --- | --- | --- |')
        for workers in args.workers:
            loader_cfg = cfg.train_dataloader.copy()
            loader_cfg.update(num_workers=workers, batch_size=args.batch,
                              persistent_workers=workers > 0)
            loader = Runner.build_dataloader(loader_cfg, seed=0)
            start, count = None, 0
            for i, batch in enumerate(loader):
                if i == 1:  # exclude worker start-up and the first batch
                    start = time.perf_counter()
                elif i > 1:
                    count += len(batch['inputs'])
            rate = count / (time.perf_counter() - start)
            print(f'| {workers} | {args.batch} | {rate:.0f} |')
            del loader


if __name__ == '__main__':
    main()
