"""Key-joint report of an annotation file, with a self-consistency check.

For every class: the key joints ``k_gt`` (extracted from the global
description), grouped by body region, and how well they agree with the
per-joint descriptions of the same class. A joint counts as *moving* in its
own description when it uses more motion verbs (lifts, bends, swings, ...)
than stillness words (stays, still, idle, planted, ...); precision is the
share of key joints that their own descriptions call moving, recall the
share of moving joints that are key joints. A word-count heuristic, meant
to flag classes whose two kinds of text disagree, not a ground truth.

    python tools/analysis/key_joint_report.py ntu120 --out docs/key_joints.md
"""
import argparse
import re

import numpy as np

from crossglg_mmaction.skeleton import get_layout
from crossglg_mmaction.text.annotations import load_annotations

STILL = re.compile(
    r'\b(stay|stays|stayed|remain|remains|rest|rests|idle|still|steady|'
    r'motionless|unmoving|planted|relaxed|hangs?|hanging|static|fixed|'
    r'unchanged|stationary|stable|level|passive|loosely|barely|hardly|'
    r'neutral|quiet|not|no)\b', re.I)
MOVE = re.compile(
    r'\b(lift|lifts|raise|raises|rises|bend|bends|flex|flexes|extend|'
    r'extends|straighten|straightens|swing|swings|turn|turns|rotate|'
    r'rotates|twist|twists|tilt|tilts|reach|reaches|push|pushes|pull|'
    r'pulls|press|presses|grip|grips|grasp|grasps|curl|curls|kick|kicks|'
    r'step|steps|stomp|stomps|drop|drops|lower|lowers|travel|travels|'
    r'move|moves|moving|sweep|sweeps|circle|circles|jab|jabs|punch|'
    r'punches|wave|waves|shake|shakes|nod|nods|rub|rubs|flick|flicks|'
    r'snap|snaps|tap|taps|throw|throws|toss|tosses|catch|catches|lean|'
    r'leans|squat|squats|hop|hops|jump|jumps|pump|pumps|drive|drives|'
    r'shift|shifts|carry|carries|brings|bring|spread|spreads|pinch|'
    r'pinches|squeeze|squeezes|slides|slide|opens|closes|folds|tears|'
    r'rips|claps|bounces|points|lunges|stretches|stretch)\b', re.I)
REGIONS = (('head', ('head', 'neck')), ('torso', ('spine', 'hip_center')),
           ('left arm', ('left_shoulder', 'left_elbow', 'left_wrist')),
           ('left hand', ('left_hand', 'left_thumb')),
           ('right arm', ('right_shoulder', 'right_elbow', 'right_wrist')),
           ('right hand', ('right_hand', 'right_thumb')),
           ('left leg', ('left_hip', 'left_knee', 'left_ankle', 'left_foot')),
           ('right leg', ('right_hip', 'right_knee', 'right_ankle',
                          'right_foot')))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('annotations', help='file or shipped name')
    parser.add_argument('--set', default=None, help='description set')
    parser.add_argument('--out', help='write the Markdown table here')
    return parser.parse_args()


def is_moving(text):
    return len(MOVE.findall(text)) > len(STILL.findall(text))


def regions(joints):
    """Body regions touched by a set of joint names, in a fixed order."""
    return [name for name, prefixes in REGIONS
            if any(j.startswith(prefixes) for j in joints)]


def class_row(ann, label, description_set):
    desc = ann.description(label, description_set)
    key = set(desc['key_joints'])
    moving = {j for j, text in desc['joints'].items() if is_moving(text)}
    both = len(key & moving)
    precision = both / len(key) if key else float('nan')
    recall = both / len(moving) if moving else float('nan')
    return dict(label=label, name=ann.names[label], key=key, moving=moving,
                precision=precision, recall=recall)


def report(ann, description_set=None):
    layout = get_layout(ann.layout)
    rows = [class_row(ann, label, description_set) for label in ann.labels]
    lines = [
        f'| class | key-joint regions (k_gt) | #key | #moving | '
        'precision | recall |', '| --- | --- | --- | --- | --- | --- |'
    ]
    for r in rows:
        lines.append(
            f'| {r["label"]} {r["name"]} | {", ".join(regions(r["key"]))} | '
            f'{len(r["key"])}/{layout.num_joints} | {len(r["moving"])} | '
            f'{r["precision"]:.2f} | {r["recall"]:.2f} |')
    precision = np.nanmean([r['precision'] for r in rows])
    recall = np.nanmean([r['recall'] for r in rows])
    summary = (f'{len(rows)} classes, {ann.source}: mean precision '
               f'{precision:.2f}, mean recall {recall:.2f}, mean key joints '
               f'{np.mean([len(r["key"]) for r in rows]):.1f} of '
               f'{layout.num_joints}')
    return summary, '\n'.join(lines)


def main():
    args = parse_args()
    ann = load_annotations(args.annotations, description_set=args.set)
    summary, table = report(ann, args.set)
    print(summary)
    if args.out:
        with open(args.out, 'w') as f:
            f.write(f'{summary}\n\n{table}\n')
        print(f'table written to {args.out}')
    else:
        print(table)


if __name__ == '__main__':
    main()
