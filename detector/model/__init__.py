"""Models: a feature dict in, a calibrated probability and per-feature contributions out.

``envelope`` (file format, checksum, atomic write), ``calibration``, the kinds (``linear``,
``trees``, ``ensemble``) and ``load`` (kind dispatch and the one model cache).
"""

from detector.model.load import DEFAULT_MODEL_NAME, Model, load_model, loads_model

__all__ = ["DEFAULT_MODEL_NAME", "Model", "load_model", "loads_model"]
