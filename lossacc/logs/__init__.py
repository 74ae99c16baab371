"""Reading a pasted Keras training log (any Keras version, CSVLogger files, history dumps) into a tidy table.

The reader (``_reader``) is Keras-free and linear in the size of the text. Explained in
:doc:`/chapters/field_guide`.
"""

from lossacc.logs._reader import LOG_STYLES, read_keras_log, render_keras_log

__all__ = ["LOG_STYLES", "read_keras_log", "render_keras_log"]
