"""The two LLM prompts of CrossGLG (paper Sec. 3.3, Fig. 3).

The paper shows its prompts only as a figure and publishes no text; these are
this project's wording of the same two requests: a *global action prompt*
(how the action unfolds and which body parts carry it) and a *joint motion
prompt* (one description per joint of the layout, the layout's joints filling
``[joint-list]``). Changing ``action`` and the layout is all that changes
between requests, as in the paper.
"""
from ..skeleton import get_layout

GLOBAL_PROMPT_ID = 'crossglg-global-v1'
JOINT_PROMPT_ID = 'crossglg-joint-v1'

GLOBAL_ACTION_PROMPT = (
    'Describe the human action "{action}" as it is performed by one person '
    'in 3 to 5 sentences. Explain how the movement unfolds from start to '
    'finish and name the body parts (for example head, arms, hands, torso, '
    'legs, feet) that carry the action and what each of them does. Describe '
    'only the body movement, not the person\'s appearance, clothing or '
    'surroundings. Answer with the description only.')

JOINT_MOTION_PROMPT = (
    'The human action "{action}" is recorded as a 3D skeleton with these '
    'joints: [{joint_list}]. For every joint in that list, write one '
    'sentence describing what the joint does during this action: the '
    'direction and extent of its movement, when it moves, and how it relates '
    'to other body parts or objects. If a joint stays still, say how and why '
    'it stays still in this action. Answer with a JSON object that maps each '
    'joint name, written exactly as in the list, to its sentence; include '
    'every joint exactly once and no other keys.')


def global_action_prompt(action: str) -> str:
    """The global action prompt for one action name."""
    return GLOBAL_ACTION_PROMPT.format(action=action)


def joint_motion_prompt(action: str, layout='ntu25') -> str:
    """The joint motion prompt for one action name and joint layout."""
    joint_list = get_layout(layout).joint_list()
    return JOINT_MOTION_PROMPT.format(action=action, joint_list=joint_list)
