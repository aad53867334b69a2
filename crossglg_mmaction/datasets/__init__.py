from .oneshot_dataset import OneShotPoseDataset
from .protocols import OneShotProtocol, get_protocol, load_protocol
from .text_annotated_dataset import TextAnnotatedDataset
from .transforms import *  # noqa: F401,F403
