"""The models of measures, by what they hold:

- indicators.py: indicators, reporting periods, targets, trajectories, comparators, ownership;
- readings.py: readings, their events and uploads, and the stored scorecard;
- milestones.py: milestones' quarterly progress updates, their events, and their stored scores.
"""

from measures.choices import (
    DeliveryStatus,
    IndicatorFrequency,
    IndicatorPolarity,
    IndicatorStatus,
    IndicatorUnit,
    MilestoneState,
    ReadingDataQuality,
    ReadingStatus,
    ReportingPeriodState,
    ScoreAudience,
)
from measures.models.indicators import (
    Comparator,
    Indicator,
    OwnershipChange,
    ReportingPeriod,
    Target,
    TargetChange,
    TrajectoryTarget,
)
from measures.models.milestones import MilestoneScore, MilestoneUpdate, MilestoneUpdateEvent
from measures.models.ownership_delivery import DeliveryOwnershipChange
from measures.models.readings import Reading, ReadingEvent, ReadingUpload, Score, upload_path

__all__ = [
    "Comparator",
    "DeliveryOwnershipChange",
    "DeliveryStatus",
    "Indicator",
    "IndicatorFrequency",
    "IndicatorPolarity",
    "IndicatorStatus",
    "IndicatorUnit",
    "MilestoneScore",
    "MilestoneState",
    "MilestoneUpdate",
    "MilestoneUpdateEvent",
    "OwnershipChange",
    "Reading",
    "ReadingDataQuality",
    "ReadingEvent",
    "ReadingStatus",
    "ReadingUpload",
    "ReportingPeriod",
    "ReportingPeriodState",
    "Score",
    "ScoreAudience",
    "Target",
    "TargetChange",
    "TrajectoryTarget",
    "upload_path",
]
