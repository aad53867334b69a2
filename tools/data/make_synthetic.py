"""Generate the synthetic skeleton data set (the demo's and the tests' data).

Writes ``synthetic_3d.pkl`` (MMAction2 ``PoseDataset`` pickle), ``classes.txt``
and ``protocol.json`` (one-shot protocol) into ``--out-dir``, plus
``annotations.json`` when the class list differs from the shipped
``crossglg_mmaction/data/synthetic.json``.

Examples::

    python tools/data/make_synthetic.py --out-dir data/synthetic
    python tools/data/make_synthetic.py --out-dir data/tiny --num-classes 6 \\
        --num-novel 2 --samples-per-class 8 --frames 32
    # refresh the shipped text annotations after changing the templates
    python tools/data/make_synthetic.py \\
        --annotations crossglg_mmaction/data/synthetic.json
"""
import argparse
import time

from crossglg_mmaction.fileio import atomic_write
from crossglg_mmaction_demo.synthetic import (SyntheticSpec, dump_json,
                                              synthetic_annotations,
                                              write_synthetic)


def parse_args(argv=None):
    """Parse and validate the command line.

    Returns:
        tuple: The namespace and the validated :class:`SyntheticSpec`.
    """
    parser = argparse.ArgumentParser(
        description='Generate the synthetic NTU-25 skeleton data set.')
    parser.add_argument('--out-dir', help='directory for the data files')
    parser.add_argument(
        '--annotations',
        metavar='FILE',
        help='write the text annotations of the classes to FILE')
    parser.add_argument('--seed', type=int, default=SyntheticSpec.seed)
    parser.add_argument(
        '--num-classes', type=int, default=SyntheticSpec.num_classes)
    parser.add_argument(
        '--num-novel',
        type=int,
        default=SyntheticSpec.num_novel,
        help='the last NUM_NOVEL labels are the one-shot novel classes')
    parser.add_argument(
        '--samples-per-class',
        type=int,
        default=SyntheticSpec.samples_per_class)
    parser.add_argument(
        '--subjects', type=int, default=SyntheticSpec.num_subjects)
    parser.add_argument(
        '--frames',
        type=int,
        nargs='+',
        default=list(SyntheticSpec.frames),
        metavar='N',
        help='sequence length: one value, or MIN MAX (inclusive)')
    parser.add_argument(
        '--second-person',
        type=float,
        default=SyntheticSpec.second_person,
        help='probability of a second person in a sample')
    parser.add_argument(
        '--noise',
        type=float,
        default=SyntheticSpec.noise,
        help='sensor noise standard deviation in metres')
    args = parser.parse_args(argv)
    if args.out_dir is None and args.annotations is None:
        parser.error('nothing to do: give --out-dir and/or --annotations')
    if len(args.frames) > 2:
        parser.error(f'--frames takes one length or MIN MAX, got '
                     f'{args.frames}')
    try:
        spec = SyntheticSpec(
            num_classes=args.num_classes,
            num_novel=args.num_novel,
            samples_per_class=args.samples_per_class,
            num_subjects=args.subjects,
            frames=(args.frames[0], args.frames[-1]),
            seed=args.seed,
            second_person=args.second_person,
            noise=args.noise)
    except ValueError as error:
        parser.error(str(error))
    return args, spec


def main(argv=None):
    args, spec = parse_args(argv)
    if args.out_dir is not None:
        start = time.perf_counter()
        paths = write_synthetic(spec, args.out_dir)
        base = spec.num_classes - spec.num_novel
        print(f'{spec.num_classes * spec.samples_per_class} samples of '
              f'{spec.num_classes} classes ({base} base, {spec.num_novel} '
              f'novel) in {time.perf_counter() - start:.1f} s')
        for role, path in paths.items():
            print(f'{role}: {path}')
        if 'annotations' not in paths:
            print("text annotations: the shipped 'synthetic' file")
    if args.annotations is not None:
        with atomic_write(args.annotations) as f:
            f.write(dump_json(synthetic_annotations(spec)))
        print(f'annotations: {args.annotations}')


if __name__ == '__main__':
    main()
