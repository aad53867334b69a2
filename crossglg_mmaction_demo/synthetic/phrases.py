"""Text templates of the motion primitives, written from what they do.

For every primitive: a ``summary`` clause (used in other joints' sentences),
a three-sentence ``long`` global description (one-move classes), a ``short``
clause (composed classes) and per-joint clauses: ``joints`` for the joints it
drives, ``passive`` for joints it carries along or that brace it. Global
texts name only the body parts listed in the primitive's ``parts`` (with
their side words), so the key joints read from the text are the joints the
primitive moves. Templates use ``{side}``/``{other}``; a joint key ``*_x``
stands for ``left_x`` and ``right_x`` with ``{s}`` the side.
"""
from dataclasses import dataclass, field
from typing import Dict, Tuple

_ARM_JOINTS = ('shoulder', 'elbow', 'wrist', 'hand', 'hand_tip', 'thumb')


@dataclass(frozen=True)
class PrimitiveText:
    """Text templates of one primitive (see the module docstring)."""
    summary: str
    long: Tuple[str, str, str]
    short: str
    joints: Dict[str, str]
    passive: Dict[str, str] = field(default_factory=dict)


def _arm(*clauses: str) -> Dict[str, str]:
    return {f'{{side}}_{j}': c for j, c in zip(_ARM_JOINTS, clauses)}


TEXTS = {
    'raise_arm': PrimitiveText(
        summary='the {side} arm rises overhead',
        long=('The person stands upright and lifts the {side} arm forward '
              'and outward.',
              'The straight {side} arm keeps rising in a wide arc until the '
              '{side} hand points at the ceiling.',
              'After a short hold the {side} arm lowers again until it hangs '
              'relaxed.'),
        short='the {side} arm rises in a wide arc until the {side} hand '
        'points at the ceiling, then lowers again',
        joints=_arm(
            'the {side} shoulder swings the upper arm forward and outward '
            'through a wide arc until it points straight up, holds it there '
            'and lowers it again',
            'the {side} elbow stays almost straight and travels from beside '
            'the waist to high above shoulder level and down again along the '
            'same arc',
            'the {side} wrist sweeps the widest arc of the arm, rising from '
            'hip level to high overhead before it descends',
            'the {side} hand is lifted on the straight arm until it is held '
            'high overhead, then sinks to the thigh again',
            'the {side} fingertips lead the upward sweep and point at the '
            'ceiling at the top of the raise before dropping again',
            'the {side} thumb follows the hand up the wide arc to the raised '
            'position and comes down with it at the end')),
    'swing_arm': PrimitiveText(
        summary='the {side} arm swings to and fro',
        long=('The person stands upright and starts to swing the {side} arm '
              'forward and backward.',
              'The loosely bent {side} arm moves like a pendulum, the {side} '
              'hand passing in front of the body and then behind it on every '
              'swing.',
              'The swings grow smaller until the {side} arm hangs still '
              'again.'),
        short='the {side} arm swings forward and backward like a pendulum, '
        'the {side} hand passing in front of and behind the body',
        joints=_arm(
            'the {side} shoulder swings the arm forward and backward like a '
            'pendulum several times, the swings fading out at the end',
            'the {side} elbow stays loosely bent and moves forward and '
            'backward with each pendulum swing of the arm',
            'the {side} wrist traces a long forward and backward arc beside '
            'the hip with every swing',
            'the {side} hand swings forward to hip height in front of the '
            'body and backward behind the hip in a steady rhythm',
            'the {side} fingertips trail the swinging hand, reaching furthest '
            'forward and backward at the turn of each swing',
            'the {side} thumb moves to and fro with the swinging hand, '
            'staying on its front side throughout')),
    'circle_arm': PrimitiveText(
        summary='the {side} arm circles',
        long=('The person stands upright and starts to rotate the straight '
              '{side} arm at the {side} shoulder.',
              'The {side} arm sweeps forward, up overhead, backward and down '
              'in large vertical circles, the {side} hand drawing the outer '
              'rim.',
              'After the last circle the {side} arm comes to rest beside the '
              'body.'),
        short='the straight {side} arm rotates at the {side} shoulder in '
        'large vertical circles, the {side} hand sweeping overhead and '
        'behind the body',
        joints=_arm(
            'the {side} shoulder rotates the nearly straight arm in full '
            'vertical circles, forward, up past the ear, backward and down '
            'again',
            'the {side} elbow stays almost straight and travels around a '
            'large circle beside the body as the arm turns at the shoulder',
            'the {side} wrist traces the widest circle of the arm, passing in '
            'front of the body, high overhead and behind the hip',
            'the {side} hand draws big vertical circles at full stretch, '
            'going forward, overhead, backward and down in one smooth sweep '
            'each time',
            'the {side} fingertips mark the outer rim of each circle, '
            'sweeping through the space in front of, above and behind the '
            'body',
            'the {side} thumb rides along the rim of the circles with the '
            'hand, turning over as the arm passes overhead')),
    'wave_hand': PrimitiveText(
        summary='the {side} hand waves',
        long=('The person lifts the {side} arm out to the side and bends the '
              '{side} elbow until the {side} hand is raised above it.',
              'The {side} hand waves from side to side several times, the '
              '{side} forearm rocking about the bent {side} elbow.',
              'The {side} arm then drops until it hangs relaxed again.'),
        short='the {side} arm lifts out to the side and the {side} hand '
        'waves from side to side above the bent {side} elbow',
        joints=_arm(
            'the {side} shoulder lifts the upper arm out to the side to about '
            'shoulder height and holds it there while the hand waves',
            'the {side} elbow bends to point the forearm straight up and '
            'rocks it from side to side to make the wave',
            'the {side} wrist sits above the elbow and sways left and right '
            'with every stroke of the wave',
            'the {side} hand is held up open, palm to the front, and waves '
            'from side to side several times before it drops',
            'the {side} fingertips swing furthest in the wave, fanning left '
            'and right above the raised hand',
            'the {side} thumb stays spread from the open palm and sways '
            'sideways with each waving stroke')),
    'punch': PrimitiveText(
        summary='the {side} fist punches forward',
        long=('The person raises the {side} fist in front of the body with '
              'the {side} elbow bent.',
              'The {side} arm then shoots straight forward, driving the '
              '{side} fist out at the level of the {side} shoulder.',
              'The {side} fist is pulled in again quickly, and the punch is '
              'repeated before the {side} arm drops.'),
        short='the {side} fist punches straight forward from a guard, the '
        '{side} arm extending fully and pulling in again',
        joints=_arm(
            'the {side} shoulder drives the upper arm forward to horizontal '
            'with each punch and draws it in again to the guard',
            'the {side} elbow starts sharply bent in the guard, snaps almost '
            'straight with each punch and bends again on the way back',
            'the {side} wrist shoots forward in a straight line at shoulder '
            'level with every punch and returns to the guard in front of the '
            'chest',
            'the {side} hand is clenched into a fist that travels straight '
            'out from the guard and back in several times',
            'the {side} fingertips stay curled into the palm of the fist, '
            'moving forward and back with each strike',
            'the {side} thumb stays folded over the curled fingers, moving '
            'with the fist as it strikes and retracts')),
    'reach': PrimitiveText(
        summary='the {side} arm reaches forward',
        long=('The person extends the {side} arm forward as if to take '
              'something from a shelf.',
              'The {side} hand travels out and up toward the target while the '
              '{side} elbow straightens fully.',
              'After a brief hold the {side} arm is drawn in and lowered.'),
        short='the {side} arm reaches forward and up as if to take '
        'something, the {side} hand held out at full stretch before it is '
        'drawn in',
        joints=_arm(
            'the {side} shoulder raises the arm forward and up toward a point '
            'in front of the body, holds it there and lowers it slowly',
            'the {side} elbow bends a little as the arm starts to lift and '
            'then straightens fully as the hand reaches the target',
            'the {side} wrist travels forward and upward to the far point of '
            'the reach, pauses there and comes back down',
            'the {side} hand extends out in front of the body at full '
            'stretch, held open as if about to grasp, then returns',
            'the {side} fingertips lead the reach and stretch toward the '
            'target at the farthest point of the movement',
            'the {side} thumb opens away from the fingers as the hand reaches '
            'out, ready to grip, and relaxes on the way down')),
    'bend_leg': PrimitiveText(
        summary='the {side} knee lifts',
        long=('The person shifts the weight and lifts the {side} knee in '
              'front of the body.',
              'The {side} leg bends at the {side} hip and the {side} knee '
              'until the {side} thigh is nearly level, the {side} foot '
              'hanging off the floor.',
              'After a short balance the {side} foot returns to the floor and '
              'the {side} leg straightens.'),
        short='the {side} knee lifts in front of the body, the {side} leg '
        'bending until the {side} foot hangs off the floor, and then lowers '
        'again',
        joints={
            '{side}_hip': 'the {side} hip flexes strongly to bring the thigh '
            'up in front of the body to about waist height, holds it there '
            'and lowers it',
            '{side}_knee': 'the {side} knee bends sharply and rises in front '
            'of the body until the thigh is nearly level, then comes down '
            'again',
            '{side}_ankle': 'the {side} ankle is drawn up under the raised '
            'knee, hanging off the floor below it, before it returns to the '
            'ground',
            '{side}_foot': 'the {side} foot leaves the floor and dangles '
            'below the lifted knee with the toes pointing down, then sets '
            'down again',
        },
        passive={
            '{other}_hip': 'the {other} hip stays extended and carries the '
            'whole body weight while the other leg is lifted',
            '{other}_knee': 'the {other} knee stays straight and firm, '
            'balancing the body on one leg during the knee lift',
            '{other}_ankle': 'the {other} ankle makes small balancing '
            'corrections while the body stands on one leg',
            '{other}_foot': 'the {other} foot stays planted flat as the only '
            'support while the other knee is raised',
        }),
    'kick_leg': PrimitiveText(
        summary='the {side} leg kicks',
        long=('The person draws the {side} knee up, bending the {side} leg in '
              'preparation.',
              'The {side} leg then snaps straight in a quick kick, driving '
              'the {side} foot forward and upward.',
              'The {side} leg drops again and the {side} foot lands where it '
              'started.'),
        short='the {side} leg chambers and kicks forward quickly, driving '
        'the {side} foot up in front of the body before it lands again',
        joints={
            '{side}_hip': 'the {side} hip first draws the thigh up and then '
            'drives it forward and upward in a fast kick before letting it '
            'drop',
            '{side}_knee': 'the {side} knee bends to chamber the leg, snaps '
            'straight as the kick extends forward and bends a little again as '
            'the leg returns',
            '{side}_ankle': 'the {side} ankle shoots forward and upward to '
            'its highest point at full extension of the kick, then comes '
            'down',
            '{side}_foot': 'the {side} foot drives forward and up with the '
            'toes pulled back at the peak of the kick and lands again beside '
            'the other foot',
        },
        passive={
            '{other}_hip': 'the {other} hip bears the body weight and stays '
            'steady while the other leg kicks',
            '{other}_knee': 'the {other} knee stays straight and braced '
            'against the swing of the kicking leg',
            '{other}_ankle': 'the {other} ankle holds the balance on the '
            'standing leg during the quick kick',
            '{other}_foot': 'the {other} foot stays planted as the '
            'supporting base for the kick',
        }),
    'squat': PrimitiveText(
        summary='the body squats down',
        long=('The person bends both knees and both hips to lower the body '
              'into a squat.',
              'The torso tilts forward to keep balance while the ankles flex '
              'and the legs fold deeply.',
              'The legs then push the body up again until the person stands '
              'straight.'),
        short='both knees and both hips bend to lower the body into a squat, '
        'the torso tilting forward, before the legs push it up again',
        joints={
            'spine_base': 'the base of the spine sinks straight down and '
            'shifts backward over the heels as the body lowers, then rises '
            'again',
            'spine_mid': 'the middle of the spine tilts forward and drops as '
            'the torso leans over the bent legs, then straightens on the way '
            'up',
            'spine_shoulder': 'the top of the spine travels forward and down, '
            'leaning the torso over the knees for balance before rising '
            'again',
            '*_hip': 'the {s} hip flexes deeply, folding the thigh toward the '
            'torso as the body goes down, and extends again to stand up',
            '*_knee': 'the {s} knee bends far forward over the foot to lower '
            'the body and straightens again to lift it',
            '*_ankle': 'the {s} ankle flexes as the shin tilts forward over '
            'the foot and returns to neutral as the person stands',
        },
        passive={
            '*_foot': 'the {s} foot stays flat and planted on the floor, '
            'carrying half of the body weight through the squat',
            'head': 'the head sinks with the body and moves forward with the '
            'leaning torso, staying in line with the spine',
            'neck': 'the neck lowers and tips forward with the torso during '
            'the squat, keeping the head steady on top',
        }),
    'nod': PrimitiveText(
        summary='the head nods',
        long=('The person stands still and bends the neck forward so that '
              'the head tips down.',
              'The head lifts again and repeats the small downward movement '
              'a few times in a calm rhythm.',
              'The nodding ends with the head level and looking ahead.'),
        short='the neck bends forward and the head nods down and up a few '
        'times',
        joints={
            'neck': 'the neck flexes forward and back several times in a '
            'steady rhythm, tipping the head down and lifting it again',
            'head': 'the head dips forward and down in a few small nods and '
            'returns to level between them, ending still and looking ahead',
        },
        passive={
            'spine_shoulder': 'the top of the spine gives a slight forward '
            'dip with each nod, following the neck by a small amount',
        }),
    'turn_head': PrimitiveText(
        summary='the head turns to the {side}',
        long=('The person keeps the body still and turns the head toward the '
              '{side}.',
              'The neck rotates until the head looks over to the {side} side, '
              'tilting a little that way.',
              'After a pause the head turns forward again.'),
        short='the neck rotates and the head turns to look toward the {side} '
        'before turning forward again',
        joints={
            'neck': 'the neck rotates toward the {side} and tilts slightly '
            'that way, holds the turned position and rotates back to the '
            'front',
            'head': 'the head turns to look over toward the {side}, pauses '
            'there and then swings back to face the front',
        }),
    'lean_forward': PrimitiveText(
        summary='the torso bows forward',
        long=('The person bends the torso forward into a bow.',
              'The spine tips forward and downward until the torso is well '
              'inclined toward the floor.',
              'The torso then rises again to an upright posture.'),
        short='the torso bends forward into a bow and then straightens up '
        'again',
        joints={
            'spine_base': 'the base of the spine stays above the feet and '
            'acts as the pivot around which the trunk bows forward and rises',
            'spine_mid': 'the middle of the spine moves forward and down as '
            'the trunk bows, then returns upright',
            'spine_shoulder': 'the top of the spine travels furthest, '
            'swinging forward and down ahead of the pelvis before it returns '
            'upright',
        },
        passive={
            'neck': 'the neck follows the bowing trunk forward and down, '
            'staying in line with the spine',
            'head': 'the head is carried forward and down with the bow, '
            'looking toward the floor at the lowest point',
            '*_shoulder': 'the {s} shoulder moves forward and down with the '
            'top of the bending spine and rises again with it',
        }),
    'lean_side': PrimitiveText(
        summary='the torso leans to the {side}',
        long=('The person bends the torso sideways toward the {side}.',
              'The spine curves over to the {side} so that the top of the '
              'torso travels well out to that side.',
              'The torso then returns to upright.'),
        short='the torso leans sideways to the {side} and returns to upright',
        joints={
            'spine_base': 'the base of the spine stays centred over the feet '
            'as the pivot of the bend toward the {side}',
            'spine_mid': 'the middle of the spine bends sideways toward the '
            '{side}, shifting a little in that direction before straightening',
            'spine_shoulder': 'the top of the spine travels furthest over '
            'toward the {side} at the peak of the lean, then comes back to '
            'the centre',
        },
        passive={
            'neck': 'the neck tilts over toward the {side} with the leaning '
            'spine and straightens with it',
            'head': 'the head is carried sideways toward the {side} by the '
            'lean of the trunk and returns to the centre',
            '{side}_shoulder': 'the {side} shoulder dips down toward the '
            '{side} hip as the trunk bends to that side',
            '{other}_shoulder': 'the {other} shoulder rises and swings over '
            'toward the {side} as the trunk leans away from it',
        }),
    'twist_torso': PrimitiveText(
        summary='the torso twists to the {side}',
        long=('The person twists the torso toward the {side} about the '
              'upright spine.',
              'Both shoulders swing around so that the chest turns toward the '
              '{side}.',
              'The torso then unwinds until the shoulders are square to the '
              'front again.'),
        short='the torso twists toward the {side}, both shoulders swinging '
        'around, and then unwinds',
        joints={
            'spine_base': 'the base of the spine keeps facing forward, the '
            'fixed base above which the trunk rotates toward the {side}',
            'spine_mid': 'the middle of the spine rotates about the vertical '
            'toward the {side} and unwinds, with little sideways travel',
            'spine_shoulder': 'the top of the spine turns toward the {side} '
            'with the full twist of the upper trunk and then turns back',
            '{side}_shoulder': 'the {side} shoulder swings backward around '
            'the spine as the trunk twists toward the {side}, then returns',
            '{other}_shoulder': 'the {other} shoulder swings forward and '
            'across as the trunk twists toward the {side}, then returns',
        },
        passive={
            'neck': 'the neck turns with the upper trunk toward the {side}, '
            'keeping the head in line with the shoulders',
            'head': 'the head is carried around toward the {side} by the '
            'twisting trunk and comes back to the front as it unwinds',
        }),
    'step': PrimitiveText(
        summary='the legs march in place',
        long=('The person walks on the spot, lifting the legs one after the '
              'other.',
              'Each knee rises in front of the body while the other leg '
              'carries the weight.',
              'The feet land in the same place on every step, so the person '
              'does not travel.'),
        short='the legs march on the spot, each knee rising in turn while '
        'the feet land in the same place',
        joints={
            '*_hip': 'the {s} hip flexes to lift the thigh on every other '
            'beat and extends again as that leg takes the weight',
            '*_knee': 'the {s} knee rises in front of the body and bends on '
            'each of its steps, alternating with the other knee',
            '*_ankle': 'the {s} ankle lifts off the floor and drops back down '
            'in the same spot on each of its steps',
            '*_foot': 'the {s} foot leaves the floor with the toes hanging '
            'and lands again in place, alternating with the other foot',
        },
        passive={
            'spine_base': 'the base of the spine bobs slightly and sways from '
            'side to side as the weight passes from leg to leg',
        }),
    'side_step': PrimitiveText(
        summary='the body steps to the {side}',
        long=('The person lifts the {side} foot and places it out to the '
              '{side}, spreading the legs.',
              'The weight then shifts onto the {side} leg while the {other} '
              'foot is lifted and brought in beside the {side} foot.',
              'The person ends standing upright one step to the {side} of the '
              'starting place.'),
        short='the {side} foot steps out to the {side} and the {other} foot '
        'follows, both legs carrying the body one step sideways',
        joints={
            '{side}_hip': 'the {side} hip opens the leg out to the {side} '
            'while the foot is in the air and closes again as the body moves '
            'over it',
            '{side}_knee': 'the {side} knee bends to lift the foot for the '
            'first sideways step and then straightens to take the weight',
            '{side}_ankle': 'the {side} ankle lifts, travels out to the '
            '{side} and is set down about a step away from where it started',
            '{side}_foot': 'the {side} foot steps out sideways to the {side} '
            'first and becomes the new support for the body',
            '{other}_hip': 'the {other} hip supports the body while the first '
            'step is taken, then swings the leg in toward the {side}',
            '{other}_knee': 'the {other} knee stays straight during the first '
            'step and bends to lift the foot as it follows toward the {side}',
            '{other}_ankle': 'the {other} ankle is lifted and carried toward '
            'the {side} in the second step, ending beside the other ankle',
            '{other}_foot': 'the {other} foot pushes off once the weight has '
            'moved and closes in beside the {side} foot',
        },
        passive={
            'spine_base': 'the base of the spine travels sideways to the '
            '{side} with the stepping legs, staying level',
        }),
    'clap': PrimitiveText(
        summary='the hands clap',
        long=('The person raises both arms forward with the elbows slightly '
              'bent.',
              'The hands swing toward each other and meet in a clap, then '
              'open apart again.',
              'This repeats a few times before both arms lower to the sides.'),
        short='both arms rise forward and the hands come together in a few '
        'claps in front of the body',
        joints={
            '*_shoulder': 'the {s} shoulder lifts the arm forward to about '
            'chest height and swings it inward and outward for each clap',
            '*_elbow': 'the {s} elbow stays half bent in front of the body, '
            'moving toward the middle on each clap and apart again',
            '*_wrist': 'the {s} wrist moves toward the middle of the body to '
            'bring the hands together and away again in a repeated rhythm',
            '*_hand': 'the {s} hand swings in to strike the other palm in '
            'front of the chest several times and then lowers',
            '*_hand_tip': 'the {s} fingertips meet the fingertips of the '
            'other hand at each clap and separate between claps',
            '*_thumb': 'the {s} thumb rests along the edge of the palm and '
            'comes close to the other thumb at every clap',
        }),
}

# How each joint is named in a sentence, and how it rests when no move of
# the class drives or carries it ({s}: its side).
JOINT_SUBJECTS = {
    'spine_base': 'the base of the spine',
    'spine_mid': 'the middle of the spine',
    'spine_shoulder': 'the top of the spine',
    'neck': 'the neck',
    'head': 'the head',
    'shoulder': 'the {s} shoulder',
    'elbow': 'the {s} elbow',
    'wrist': 'the {s} wrist',
    'hand': 'the {s} hand',
    'hand_tip': 'the {s} fingertips',
    'thumb': 'the {s} thumb',
    'hip': 'the {s} hip',
    'knee': 'the {s} knee',
    'ankle': 'the {s} ankle',
    'foot': 'the {s} foot',
}
STILL = {
    'spine_base': 'stays level and centred over the feet, a steady base',
    'spine_mid': 'stays upright above the pelvis, the trunk held quiet',
    'spine_shoulder': 'stays square and level, the shoulders held evenly',
    'neck': 'stays upright and relaxed, holding the head level',
    'head': 'stays level and looks straight ahead',
    'shoulder': 'stays low and relaxed, not lifting the {s} arm',
    'elbow': 'stays loosely extended, the {s} forearm hanging beside the '
    'trunk',
    'wrist': 'hangs loosely beside the {s} thigh',
    'hand': 'hangs open and idle at the {s} side',
    'hand_tip': 'point loosely toward the floor',
    'thumb': 'rests along the side of the idle {s} hand',
    'hip': 'stays extended, carrying its share of the body weight',
    'knee': 'stays straight in a relaxed standing stance',
    'ankle': 'stays fixed above the {s} foot, keeping the balance',
    'foot': 'stays flat and planted on the floor',
}
PLURAL = ('hand_tip', )
