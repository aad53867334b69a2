"""Convert NW-UCLA per-sequence JSON files into an MMAction2 skeleton pickle.

    python tools/data/nwucla_to_pickle.py data/NW-UCLA/all_sqe \
        data/skeleton/nwucla_3d.pkl [--report nwucla_report.json]

Invalid files (wrong joint count, empty, NaN, label out of range) stop the
conversion with a list of them (or are left out with --skip-invalid);
duplicate sequences and single-frame sequences are reported.
"""
import argparse
import json

from crossglg_mmaction.cli import exit_on_error
from crossglg_mmaction.datasets.converters import convert_nwucla
from crossglg_mmaction.fileio import atomic_write


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('src_dir', help='folder of aAA_sSS_eEE_vVV.json')
    parser.add_argument('out_file', help='pickle to write (.npz or .json: '
                        'the same content without pickle; a .store folder: '
                        'memory-mapped)')
    parser.add_argument('--num-classes', type=int, default=10)
    parser.add_argument('--skip-invalid', action='store_true',
                        help='leave invalid files out instead of failing')
    parser.add_argument('--report', help='also write the report as JSON')
    args = parser.parse_args(argv)
    with exit_on_error('nwucla_to_pickle.py'):
        _, report = convert_nwucla(args.src_dir, args.out_file,
                                   args.num_classes, args.skip_invalid)
    print(report.format())
    print(f'wrote {args.out_file}')
    if args.report:
        with atomic_write(args.report) as f:
            json.dump(dict(stats=report.stats, warnings=report.warnings,
                           duplicates=report.duplicates), f, indent=2)
    return report


if __name__ == '__main__':
    main()
