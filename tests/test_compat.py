import sys

import pytest
import torch

from crossglg_mmaction import compat


def test_registry_holds_every_plugin_module():
    from mmaction.registry import MODELS, TRANSFORMS
    for name in ('InfoGCN', 'JointImportance', 'STGCNWithImportance',
                 'InfoGCNHead', 'CrossGLGHead', 'CrossModalGuidance',
                 'CrossGLGRecognizer', 'MMDLoss', 'LatentNormLoss',
                 'JointCalibrationLoss'):
        assert MODELS.get(name) is not None, name
    for name in ('TemporalCropResize', 'RandomRotate3D'):
        assert TRANSFORMS.get(name) is not None, name


def test_mmaction_models_import_with_the_fixes():
    import mmaction.models  # noqa: F401
    assert 'mmaction.models.localizers.drn' in sys.modules
    from mmaction.utils import dependency
    assert dependency.WITH_MULTIMODAL is False


def test_mmengine_checkpoints_load_weights_only(tmp_path):
    from mmengine.logging.history_buffer import HistoryBuffer
    import numpy as np
    path = tmp_path / 'ckpt.pth'
    torch.save(dict(message_hub=dict(buffer=HistoryBuffer([1., 2.], [1, 1])),
                    meta=dict(seed=np.int64(3), arr=np.zeros(2))), path)
    loaded = torch.load(path, weights_only=True)
    assert loaded['meta']['seed'] == 3


def test_unsupported_version_gives_a_clear_message(monkeypatch):
    import mmengine
    monkeypatch.setattr(mmengine, '__version__', '0.9.0')
    with pytest.raises(ImportError, match='mmengine>=0.10.7,<1.0.0.*make'):
        compat.check_versions()
