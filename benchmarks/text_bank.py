"""Time building a text bank with the offline encoder, and a cache hit.

By default a synthetic 120-class NTU (ntu25) annotation file is generated
(deterministic, realistic text lengths: a 4-sentence global description and
25 joint sentences of about 25 words per class). ``--annotations`` times an
annotation file instead; ``--writer-lists`` first converts the annotation
writers' list-of-classes JSON files (``[{"label", "code", "name", "global",
"joints"}, ...]``) into one annotation file. Each build runs into an empty
cache folder; each cache hit re-reads and re-validates the annotation file,
hashes the texts and loads the bank, exactly as ``get_text_bank`` does when
a dataset is built.

Example::

    python benchmarks/text_bank.py --classes 120 --dim 256 --repeats 5
    python benchmarks/text_bank.py --writer-lists ntu120_A*.json
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

import numpy as np

from crossglg_mmaction.skeleton import get_layout
from crossglg_mmaction.text.annotations import (load_annotations,
                                                new_annotations,
                                                save_annotations,
                                                upsert_description)
from crossglg_mmaction.text.bank import get_text_bank, load_text_bank
from crossglg_mmaction.text.keyjoints import (KeyJointExtractor,
                                              lexical_key_joints)

PARTS = ('head', 'right hand', 'left hand', 'both arms', 'right elbow',
         'left knee', 'right foot', 'torso', 'hips', 'shoulders', 'legs')
VERBS = ('rises', 'lowers', 'rotates', 'swings', 'bends', 'straightens',
         'pushes', 'pulls', 'holds steady', 'shifts', 'extends', 'tilts')
HOW = ('slowly', 'quickly', 'smoothly', 'briefly', 'firmly', 'gently',
       'repeatedly', 'steadily', 'a little', 'fully')
OBJECTS = ('cup', 'phone', 'bag', 'ball', 'chair', 'door', 'paper', 'hat',
           'shoe', 'partner', 'floor', 'table', 'face', 'chest', 'waist')
PHASES = ('at the start', 'during the main phase', 'near the end',
          'throughout the action', 'after the peak of the motion')


def synthetic_annotations(num_classes=120, layout='ntu25', seed=0) -> dict:
    """A deterministic annotation dict with realistic text lengths."""
    rng = np.random.default_rng(seed)
    layout = get_layout(layout)
    data = new_annotations('synthetic-benchmark', layout, 'authored')

    def pick(pool):
        return pool[rng.integers(len(pool))]

    for label in range(num_classes):
        name = f'action {label:03d} {pick(VERBS)} {pick(OBJECTS)}'
        sentences = [
            f'The {pick(PARTS)} {pick(VERBS)} {pick(HOW)} toward the '
            f'{pick(OBJECTS)} {pick(PHASES)}.' for _ in range(4)
        ]
        global_text = ' '.join(sentences)
        joints = {
            j: (f'The {j.replace("_", " ")} {pick(VERBS)} {pick(HOW)} '
                f'{pick(PHASES)} while the {pick(PARTS)} {pick(VERBS)} near '
                f'the {pick(OBJECTS)}, then it {pick(VERBS)} {pick(HOW)} '
                f'and settles {pick(PHASES)} (class {label}).')
            for j in layout.joints
        }
        upsert_description(
            data, label, name, 'authored', {
                'global': global_text,
                'joints': joints,
                'key_joints': lexical_key_joints(global_text, layout),
                'key_joints_extractor': 'lexical',
                'provenance': {'source': 'generated',
                               'note': 'benchmarks/text_bank.py'},
            })
    return data


def from_writer_lists(paths, layout='ntu25') -> dict:
    """One annotation dict from writer list files (key joints: lexical)."""
    data = new_annotations('ntu120', layout, 'authored')
    for path in paths:
        with open(path, encoding='utf-8') as f:
            for c in json.load(f):
                upsert_description(
                    data, c['label'], c['name'], 'authored', {
                        'global': c['global'],
                        'joints': c['joints'],
                        'key_joints': lexical_key_joints(c['global'], layout),
                        'key_joints_extractor': 'lexical',
                        'provenance': {'source': 'authored'},
                    }, c.get('code'))
    return data


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
    parser.add_argument('--annotations', default=None,
                        help='annotation file (default: synthetic)')
    parser.add_argument('--writer-lists', nargs='+', default=None,
                        help='annotation writers\' list files to convert')
    parser.add_argument('--classes', type=int, default=120,
                        help='synthetic classes (default: 120)')
    parser.add_argument('--dim', type=int, default=256,
                        help='tfidf_svd width (default: 256)')
    parser.add_argument('--repeats', type=int, default=5)
    parser.add_argument('--json', default=None, help='write results here')
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    encoder = dict(type='tfidf_svd', dim=args.dim)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.annotations
        if args.writer_lists:
            path = osp.join(tmp, 'ntu120.json')
            save_annotations(from_writer_lists(args.writer_lists), path)
        elif path is None:
            path = osp.join(tmp, f'synthetic{args.classes}.json')
            save_annotations(synthetic_annotations(args.classes), path)
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
