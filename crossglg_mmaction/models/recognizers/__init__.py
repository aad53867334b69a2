from .crossglg_recognizer import CrossGLGRecognizer
from .recognizer_gcn import RecognizerGCN

__all__ = ['CrossGLGRecognizer', 'RecognizerGCN']
