"""Forward this package's standard-library log records to MMEngine's logger."""
import contextlib
import logging

from mmengine.logging import MMLogger


class MMLoggerHandler(logging.Handler):
    """Re-emits records on the current ``MMLogger`` (the run's log file)."""

    def emit(self, record):
        MMLogger.get_current_instance().log(record.levelno,
                                            self.format(record))


@contextlib.contextmanager
def forward_to_mmengine(name='crossglg_mmaction'):
    """Within the block, records of logger ``name`` also reach MMEngine's log.

    The tools and library log through ``logging.getLogger(__name__)``; inside
    a Runner (e.g. while a dataset builds its text bank) this makes lines
    such as "which text encoder ran" part of the training log.
    """
    logger = logging.getLogger(name)
    handler = MMLoggerHandler()
    previous = logger.level
    logger.addHandler(handler)
    if logger.getEffectiveLevel() > logging.INFO:
        logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)
