"""Validate an MMAction2 skeleton pickle and print a report.

    python tools/data/validate_pickle.py data/skeleton/ntu120_3d.pkl \
        --layout ntu25 --num-classes 120

Exits with status 1 when the file has errors (see
``crossglg_mmaction.datasets.converters.validate_skeleton_pickle``).
"""
import argparse
import sys

from crossglg_mmaction.datasets.converters import validate_skeleton_pickle


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('pickle', help='skeleton annotation pickle')
    parser.add_argument('--layout', help='expected joint layout (e.g. '
                        'ntu25, kinect_v1_20, coco17, openpose18)')
    parser.add_argument('--num-classes', type=int)
    parser.add_argument('--no-duplicates', action='store_true',
                        help='skip hashing keypoints for identical samples')
    args = parser.parse_args(argv)
    report = validate_skeleton_pickle(
        args.pickle, args.layout, args.num_classes,
        check_duplicates=not args.no_duplicates)
    print(report.format())
    if not report.ok:
        sys.exit(1)
    return report


if __name__ == '__main__':
    main()
