"""Convert UTD-MHAD skeleton .mat files into an MMAction2 skeleton pickle.

    python tools/data/utdmhad_to_pickle.py data/UTD-MHAD/Skeleton \
        data/utdmhad/utdmhad_3d.pkl [--report utdmhad_report.json]

Joints are reordered into the kinect_v1_20 layout (NW-UCLA's). Invalid files
(unreadable or foreign .mat, no d_skel, not 20 x 3 x T, NaN, a bad file
name) stop the conversion with a list of them (or are left out with
--skip-invalid); samples per class, frame counts, absent takes and duplicate
sequences are reported.
"""
import argparse
import json
import sys

from crossglg_mmaction.datasets.converters import convert_utdmhad
from crossglg_mmaction.fileio import atomic_write


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('src_dir', help='folder of a{A}_s{S}_t{T}_skeleton'
                        '.mat')
    parser.add_argument('out_file', help='pickle to write (.npz or .json: '
                        'the same content without pickle; a .store folder: '
                        'memory-mapped)')
    parser.add_argument('--skip-invalid', action='store_true',
                        help='leave invalid files out instead of failing')
    parser.add_argument('--report', help='also write the report as JSON')
    args = parser.parse_args(argv)
    _, report = convert_utdmhad(args.src_dir, args.out_file,
                                args.skip_invalid)
    print(report.format())
    print(f'wrote {args.out_file}')
    if args.report:
        with atomic_write(args.report) as f:
            json.dump(dict(stats=report.stats, warnings=report.warnings,
                           duplicates=report.duplicates), f, indent=2)
    return report


if __name__ == '__main__':
    try:
        main()
    except (ValueError, FileNotFoundError) as error:
        sys.exit(f'utdmhad_to_pickle.py: error: {error}')
