"""dnncourse: the helper package of the course "Deep Neural Networks with Keras".

Every page of the course imports it. Importing it is cheap: it loads NumPy-only
modules and never TensorFlow or Keras; the modules that need Keras import it
when first used.
"""

import os

# TensorFlow reads this once, at its own import: keep its start-up log lines
# (CPU features, oneDNN notes) out of notebooks. A value you set wins.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

__version__ = "0.1.0"

# NumPy only: reading learning curves needs no TensorFlow.
from .diagnose import diagnose

__all__ = ["__version__", "diagnose"]
