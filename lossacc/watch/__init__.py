"""Watching a run while it trains: callbacks that record under the curve, and the live diagnosis.

=============  ===============================================================================
``_trackers``  :class:`ProbabilityTracker` (every sample's output, epoch by epoch), :class:`WeightTracker`
``_monitor``   :class:`Monitor`: ``check_model`` at the start, the shared detectors after every epoch
=============  ===============================================================================

What counts as correct (the accuracy rule) is defined once, in :mod:`lossacc.analyze`. Imports Keras.
"""

from lossacc.watch._monitor import FINDING_NAMES, Monitor
from lossacc.watch._trackers import ProbabilityTracker, WeightTracker

__all__ = ["ProbabilityTracker", "WeightTracker", "Monitor", "FINDING_NAMES"]
