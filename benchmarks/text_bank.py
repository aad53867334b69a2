"""Time building a text bank with the offline encoder, and a cache hit.

Times the shipped NTU-120 annotations (or ``--annotations FILE``). Each
build runs into an empty cache folder; each cache hit re-reads and
re-validates the annotation file, hashes the texts and loads the bank,
exactly as ``get_text_bank`` does when a dataset is built.

Example::

    python benchmarks/text_bank.py --annotations ntu120 --dim 256 --repeats 9
"""
import argparse
import json
import logging
import os.path as osp
import platform
import statistics
import sys
import tempfile
import time

from crossglg_mmaction.text.annotations import (load_annotations,
                                                resolve_annotation_file)
from crossglg_mmaction.text.bank import get_text_bank, load_text_bank
from crossglg_mmaction.text.keyjoints import KeyJointExtractor

def timed(fn, repeats, cpu=None):
    """Run ``fn`` ``repeats`` times; wall times (and CPU times into ``cpu``).
    """
    times = []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - start)
        if cpu is not None:
            cpu.append(time.process_time() - start_cpu)
    return result, times


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--annotations', default='ntu120',
                        help='annotation file or shipped name')
    parser.add_argument('--dim', type=int, default=256,
                        help='tfidf_svd width (default: 256)')
    parser.add_argument('--repeats', type=int, default=5)
    parser.add_argument('--json', default=None, help='write results here')
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    encoder = dict(type='tfidf_svd', dim=args.dim)
    with tempfile.TemporaryDirectory() as tmp:
        path = resolve_annotation_file(args.annotations)
        ann = load_annotations(path)
        num_texts = sum(26 for _ in ann.labels)
        _, load_times = timed(lambda: load_annotations(path), args.repeats)
        extractor = KeyJointExtractor(ann.layout, backend='lexical')
        _, extract_times = timed(
            lambda: [extractor(ann.description(lb)['global'])
                     for lb in ann.labels], args.repeats)

        counter = iter(range(10**6))

        def build():
            return get_text_bank(path, encoder,
                                 cache_dir=osp.join(tmp, f'c{next(counter)}'))

        first, first_time = timed(build, 1)  # includes importing sklearn
        build_cpu = []
        bank, build_times = timed(build, args.repeats, build_cpu)
        _, hit_times = timed(
            lambda: get_text_bank(path, encoder, cache_dir=osp.dirname(
                bank.path)), args.repeats)
        _, load_bank_times = timed(lambda: load_text_bank(bank.path),
                                   args.repeats)
        result = dict(
            machine=f'{platform.processor() or platform.machine()}, '
            f'python {platform.python_version()}',
            annotations=osp.basename(path),
            classes=len(ann),
            joints=ann.layout.num_joints,
            texts=num_texts,
            dim=args.dim,
            bank_mb=osp.getsize(bank.path) / 2**20,
            first_build_s=first_time[0],
            build_s=statistics.median(build_times),
            build_min_s=min(build_times),
            build_cpu_s=statistics.median(build_cpu),
            cache_hit_s=statistics.median(hit_times),
            load_bank_only_s=statistics.median(load_bank_times),
            load_annotations_s=statistics.median(load_times),
            lexical_key_joints_s=statistics.median(extract_times),
            repeats=args.repeats)
    print(f'| classes | texts | dim | first build (s) | build, median / '
          f'min (s) | build CPU (s) | cache hit (s) | bank load only (s) | '
          f'annotation load (s) | bank (MB) | lexical key joints, all '
          f'classes (s) |')
    print('|---|---|---|---|---|---|---|---|---|---|---|')
    print(f'| {result["classes"]} | {result["texts"]} | {result["dim"]} | '
          f'{result["first_build_s"]:.2f} | {result["build_s"]:.2f} / '
          f'{result["build_min_s"]:.2f} | {result["build_cpu_s"]:.2f} | '
          f'{result["cache_hit_s"]:.3f} | {result["load_bank_only_s"]:.4f} '
          f'| {result["load_annotations_s"]:.3f} | {result["bank_mb"]:.1f} | '
          f'{result["lexical_key_joints_s"]:.3f} |')
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(result, f, indent=2)
    return 0


if __name__ == '__main__':
    sys.exit(main())
