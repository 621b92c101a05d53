"""dnncourse: the helper package of the course "Deep Neural Networks with Keras".

Every page of the course imports it. Importing it is cheap: it loads no
TensorFlow or Keras; the modules that need Keras import it inside their
functions, when first used.  Where each piece lives is the layout table in
``CONTRIBUTING.md``; the API page of the site documents every module.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
