from .crossglg_recognizer import CrossGLGRecognizer

__all__ = ['CrossGLGRecognizer']
